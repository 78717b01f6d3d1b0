import { type CfnElement, Duration, NestedStack, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { IMPORT_LIMITS } from '../functions/domain/imports.ts';
import { CUSTOMER_PARTS } from '../functions/storage/customers/customer-lists.ts';
import { functionId, rapportFunction, type FunctionCommon, type FunctionExtras } from './function.ts';
import { SIZING } from './sizing.ts';

export interface ImportsProps {
  table: dynamodb.ITable;
  /** How the table's ARN appears in this stack's findings (a parameter of the nested stack). */
  tableArnParameter: string;
  common: FunctionCommon;
  retention: logs.RetentionDays;
  deletionProtection: boolean;
  /** The search database (lib/search-database.ts): a filtered export's part reads its matches there. */
  search: { grantAccess(role: iam.IGrantable): void; functionEnvironment: Record<string, string> };
}

/** The files bucket: per-tenant prefixes, SSE-S3, HTTPS only, no public access, objects kept 30 days, uploads from browsers (PUT, ETag exposed). */
export const filesBucket = (scope: Construct, deletionProtection: boolean): s3.Bucket => {
  const bucket = new s3.Bucket(scope, 'Files', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    removalPolicy: deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }, { expiration: Duration.days(30) }],
    cors: [{ allowedMethods: [s3.HttpMethods.PUT], allowedOrigins: ['*'], allowedHeaders: ['*'], exposedHeaders: ['ETag'], maxAge: 3000 }],
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason:
      'Every object is reached through a function (the API presigns one object of one tenant for 15 minutes) whose calls CloudTrail and the functions’ own logs record; server access logs would add a second bucket of logs of the same requests.',
  });
  return bucket;
};

/**
 * What a function may do with the files bucket: read (and, writing, write) objects under `tenants/`
 * (every tenant's prefix: the functions serve every tenant, and storage/files/files.ts puts each
 * object under its own), abort an upload, and list under `tenants/` (so a missing object reads as
 * absent, not as a refusal) — nothing at the bucket's level, nothing outside that prefix.
 */
const filesStatements = (bucket: s3.IBucket, write: boolean): iam.PolicyStatement[] => [
  new iam.PolicyStatement({
    actions: write ? ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'] : ['s3:GetObject'],
    resources: [bucket.arnForObjects('tenants/*')],
  }),
  new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn], conditions: { StringLike: { 's3:prefix': ['tenants/*'] } } }),
];

/**
 * Bulk import's own nested stack (issue 27): the files bucket, the role of its runs, its three
 * steps' functions and the state machine running them — the splitter, then the chunks in two
 * Distributed Maps one after the other, read from the manifests the splitter wrote (customers, then the rows referring to them) (at most IMPORT_LIMITS.chunkConcurrency
 * of a job at once, each retried on any error: a chunk is safe to run again), then the finish — also
 * after the map failed, so a job whose chunks could not all run is failed, never left running.
 */
export class Imports extends NestedStack {
  readonly bucket: s3.Bucket;
  readonly stateMachine: sfn.StateMachine;
  readonly exportStateMachine: sfn.StateMachine;
  readonly functions: lambda.IFunction[];

  constructor(scope: Construct, id: string, props: ImportsProps) {
    super(scope, id, { description: 'Rapport bulk import and export: the files bucket, the import and export state machines and their steps' });
    this.bucket = filesBucket(this, props.deletionProtection);
    const role = new iam.Role(this, 'RunRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Rapport import runs: read and write the table and the files bucket',
    });
    props.table.grantReadWriteData(role);
    for (const statement of filesStatements(this.bucket, true)) role.addToPrincipalPolicy(statement);
    // The runs' one role reaches the search database for the export part (a filtered export reads its matches there).
    props.search.grantAccess(role);
    const logGroup = new logs.LogGroup(this, 'StepLogs', { retention: props.retention, removalPolicy: RemovalPolicy.DESTROY });
    const step = (name: string, entry: string, description: string, sizing: FunctionExtras, environment: Record<string, string> = {}) =>
      rapportFunction(this, functionId(name), {
        entry,
        role,
        logGroup,
        service: 'imports',
        common: props.common,
        description,
        ...sizing,
        environment: { FILES_BUCKET: this.bucket.bucketName, ...environment },
      });
    const splitFn = step('splitImport', 'functions/imports/split-import.ts', "Reads an import's upload once into chunks with their lines", SIZING.importSplit);
    const chunkFn = step(
      'processImportChunk',
      'functions/imports/process-chunk.ts',
      'Writes the rows of one chunk of an import, line by line',
      SIZING.importChunk,
    );
    const finishFn = step('finishImport', 'functions/imports/finish-import.ts', 'Completes an import whose every line is accounted for', SIZING.notifier);
    const beginExportFn = step('beginExport', 'functions/imports/begin-export.ts', 'Begins an export and names its parts', SIZING.notifier);
    const exportPartFn = step(
      'exportPart',
      'functions/imports/export-part.ts',
      "Writes one part of an export's customers into gzip files",
      SIZING.exportPart,
      props.search.functionEnvironment,
    );
    const finishExportFn = step('finishExport', 'functions/imports/finish-export.ts', 'Completes an export and writes its manifest', SIZING.notifier);
    this.functions = [splitFn, chunkFn, finishFn, beginExportFn, exportPartFn, finishExportFn];
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'Active X-Ray tracing grants xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${props.tableArnParameter}>/index/*]`,
        reason: "The read/write grant covers the table's own GSIs (table ARN + /index/*), which the rows' writes read; no other table is reachable.",
      },
      this.tenantsAcknowledgement(),
    );

    const split = new tasks.LambdaInvoke(this, 'Split', { lambdaFunction: splitFn, payloadResponseOnly: true, resultPath: '$.split' });
    // Two maps, one after the other: the manifest's chunks (customers), then the second manifest's (the rows that refer to them).
    const map = (id: string, manifest: string) => {
      const chunks = new sfn.DistributedMap(this, id, {
        itemReader: new sfn.S3JsonItemReader({ bucket: this.bucket, key: sfn.JsonPath.stringAt(manifest) }),
        maxConcurrency: IMPORT_LIMITS.chunkConcurrency,
        resultPath: sfn.JsonPath.DISCARD,
      });
      // Each chunk retried on any error: a chunk is safe to run again.
      chunks.itemProcessor(
        new tasks.LambdaInvoke(this, `${id}Chunk`, { lambdaFunction: chunkFn, payloadResponseOnly: true })
          // Its tenant's other jobs held every chunk slot: later, for up to about two hours.
          .addRetry({
            errors: ['TenantBusy'],
            interval: Duration.seconds(10),
            backoffRate: 1.5,
            maxDelay: Duration.minutes(5),
            maxAttempts: 30,
            jitterStrategy: sfn.JitterType.FULL,
          })
          .addRetry({
            errors: ['States.ALL'],
            interval: Duration.seconds(2),
            backoffRate: 2,
            maxAttempts: 6,
          }),
      );
      return chunks;
    };
    const finish = new tasks.LambdaInvoke(this, 'Finish', { lambdaFunction: finishFn, payloadResponseOnly: true, resultPath: sfn.JsonPath.DISCARD });
    const [first, next] = [map('Chunks', '$.split.manifest'), map('NextChunks', '$.split.childManifest')];
    first.addCatch(finish, { resultPath: '$.failure' });
    next.addCatch(finish, { resultPath: '$.failure' });
    const definition = split.next(
      new sfn.Choice(this, 'AnyChunks')
        .when(sfn.Condition.numberGreaterThan('$.split.chunks', 0), first.next(next).next(finish))
        .otherwise(new sfn.Succeed(this, 'NothingToRun')),
    );
    const machineLogs = new logs.LogGroup(this, 'MachineLogs', { retention: props.retention, removalPolicy: RemovalPolicy.DESTROY });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: Duration.hours(24),
      tracingEnabled: true,
      logs: { destination: machineLogs, level: sfn.LogLevel.ALL },
    });

    // Exports: begin, then every part at once (a Map of CUSTOMER_PARTS items), each run again until it says it is done, then the finish — after a failed map too.
    const begin = new tasks.LambdaInvoke(this, 'ExportBegin', { lambdaFunction: beginExportFn, payloadResponseOnly: true, resultPath: '$.begin' });
    const part = new tasks.LambdaInvoke(this, 'ExportPart', { lambdaFunction: exportPartFn, payloadResponseOnly: true, resultPath: '$.run' }).addRetry({
      errors: ['States.ALL'],
      interval: Duration.seconds(2),
      backoffRate: 2,
      maxAttempts: 6,
    });
    const parts = new sfn.Map(this, 'ExportParts', { itemsPath: '$.begin.parts', maxConcurrency: CUSTOMER_PARTS, resultPath: sfn.JsonPath.DISCARD });
    parts.itemProcessor(
      part.next(
        new sfn.Choice(this, 'ExportPartDone').when(sfn.Condition.booleanEquals('$.run.done', true), new sfn.Succeed(this, 'PartWritten')).otherwise(part),
      ),
    );
    const finishExport = new tasks.LambdaInvoke(this, 'ExportFinish', {
      lambdaFunction: finishExportFn,
      payloadResponseOnly: true,
      resultPath: sfn.JsonPath.DISCARD,
    });
    parts.addCatch(finishExport, { resultPath: '$.failure' });
    const exportLogs = new logs.LogGroup(this, 'ExportMachineLogs', { retention: props.retention, removalPolicy: RemovalPolicy.DESTROY });
    this.exportStateMachine = new sfn.StateMachine(this, 'ExportStateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(begin.next(parts).next(finishExport)),
      timeout: Duration.hours(24),
      tracingEnabled: true,
      logs: { destination: exportLogs, level: sfn.LogLevel.ALL },
    });
    // What Step Functions grants the machine's role, each as the service requires it.
    const logical = (construct: Construct): string => this.resolve(this.getLogicalId(construct.node.defaultChild as CfnElement));
    const machine = `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logical(this.stateMachine)}"}]}]}`;
    Validations.of(this.stateMachine).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray tracing and log delivery (logs:CreateLogDelivery and the like) support no resource-level permissions.',
      },
      ...this.functions.map((fn) => ({
        id: `AwsSolutions-IAM5[Resource::<${logical(fn)}.Arn>:*]`,
        reason: 'The task may invoke its own function and only it; ":*" covers that function’s versions and aliases.',
      })),
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<${logical(this.bucket)}>/*]`,
        reason: 'The Distributed Map reads its manifest (tenants/<tenant>/imports/<id>/chunks/manifest.json), whose key is known only at run time.',
      },
      ...['/*:*', ':*'].map((tail) => ({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${machine}${tail}]`,
        reason: "The Distributed Map runs, describes and stops its child executions: this state machine's executions only.",
      })),
    );
    Validations.of(this.exportStateMachine).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray tracing and log delivery (logs:CreateLogDelivery and the like) support no resource-level permissions.',
      },
      ...[beginExportFn, exportPartFn, finishExportFn].map((fn) => ({
        id: `AwsSolutions-IAM5[Resource::<${logical(fn)}.Arn>:*]`,
        reason: 'The task may invoke its own function and only it; ":*" covers that function’s versions and aliases.',
      })),
    );
  }

  /** What an API function of the files operations is told. */
  get functionEnvironment(): Record<string, string> {
    return {
      FILES_BUCKET: this.bucket.bucketName,
      IMPORT_STATE_MACHINE_ARN: this.stateMachine.stateMachineArn,
      EXPORT_STATE_MACHINE_ARN: this.exportStateMachine.stateMachineArn,
    };
  }

  /** Lets an API role use the files bucket (reading only, or writing too: then it also starts jobs), by a policy of this stack. */
  grantApi(role: iam.IRole, write: boolean): void {
    const policy = new iam.Policy(this, write ? 'ApiWritePolicy' : 'ApiReadPolicy', {
      roles: [role],
      statements: [
        ...filesStatements(this.bucket, write),
        ...(write
          ? [
              new iam.PolicyStatement({
                actions: ['states:StartExecution'],
                resources: [this.stateMachine.stateMachineArn, this.exportStateMachine.stateMachineArn],
              }),
            ]
          : []),
      ],
    });
    Validations.of(policy).acknowledge(this.tenantsAcknowledgement());
  }

  private tenantsAcknowledgement() {
    return {
      id: `AwsSolutions-IAM5[Resource::<${this.resolve(this.getLogicalId(this.bucket.node.defaultChild as CfnElement))}.Arn>/tenants/*]`,
      reason:
        'The functions serve every tenant, each under its own prefix (tenants/<tenant>/…, functions/storage/files/files.ts): the grant is the prefix holding them all, objects only, no bucket-level action.',
    };
  }
}
