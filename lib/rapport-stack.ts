import { CfnOutput, Duration, Names, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpRoute, HttpRouteKey, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  docsRoute,
  eventRules,
  importRelay,
  operations,
  schedules,
  streamPublisher,
  unmatchedRoute,
  webhookDispatcher,
  webhookWorker,
} from '../functions/catalog.ts';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { SCOPES } from '../functions/http/operation.ts';
import { tableIndexes, STREAM_VIEW, TABLE_KEYS, TTL_ATTRIBUTE, EVENT_ENTITY } from '../functions/storage/table/table-schema.ts';
import { SERVICE } from '../functions/business-metrics.ts';
import type { SecretRecord } from '../functions/storage/table/sealed-secrets.ts';
import { FamilyApi } from './family-api.ts';
import { SearchDatabase } from './search-database.ts';
import { Imports } from './imports.ts';
import { CEDAR_BUNDLING, DOCS_BUNDLING, functionId, rapportFunction, type FunctionCommon, type FunctionExtras } from './function.ts';
import { RapportMonitoring } from './monitoring.ts';
import { pascalCase } from './names.ts';
import { ACCESS_CACHE_SECONDS, ACCESS_RESULT_CACHE_SECONDS, SIZING, sweepTimeout } from './sizing.ts';
import { STAGES, type Stage, type StageSettings } from './stages.ts';

export interface RapportStackProps extends StackProps {
  /** dev or prod: retention, deletion protection, throttling and alarm thresholds (lib/stages.ts). */
  stage?: Stage;
  /** Single settings that override the stage's. */
  overrides?: Partial<Omit<StageSettings, 'alarms'>>;
  /** Subscribed to the alarm topic when given. */
  alarmEmail?: string;
  /** JWT issuer and audience of an existing identity provider; without them the stack creates a Cognito user pool. */
  jwtIssuer?: string;
  jwtAudience?: string[];
  /** Name of the claim that carries the tenant. */
  tenantClaim?: string;
  /** Minutes between due-sweep runs (and any other schedule), overriding the catalog's rate. */
  scheduleEveryMinutes?: number;
  /** A step of moving a deployed table to the current index layout (functions/storage/table/table-schema.ts); none: the current layout. */
  indexMigrationStep?: number;
  /** Days a deleted customer can be restored before it is purged (default 30). */
  customerRetentionDays?: number;
  /**
   * Days the bus archive keeps events (default 25, at most 30): events carry personal data, and
   * an erasure must reach every copy within GDPR's month, so the archive forgets within it.
   */
  eventArchiveDays?: number;
}

/**
 * The response headers a browser may read: every header an operation declares in the catalog,
 * plus those the kernel adds to any answer (correlation id; Retry-After on 503).
 */
export const exposedHeaders = (): string[] =>
  [
    ...new Set(
      [
        ...operations.flatMap((op) => Object.values(op.responses()).flatMap((response) => Object.keys(response.headers ?? {}))),
        'X-Correlation-Id',
        'Retry-After',
      ].map((h) => h.toLowerCase()),
    ),
  ].sort();

/**
 * Rapport's root stack: table, bus, API with its authorizer, the roles, publisher, notifier, due
 * sweep and monitoring; each family's operations in a nested stack (lib/family-api.ts).
 */
export class RapportStack extends Stack {
  readonly table: dynamodb.TableV2;
  readonly bus: events.EventBus;
  readonly api: HttpApi;
  readonly monitoring: RapportMonitoring;
  readonly settings: StageSettings;

  constructor(scope: Construct, id: string, props: RapportStackProps = {}) {
    super(scope, id, props);
    const stage = props.stage ?? 'dev';
    const settings: StageSettings = { ...STAGES[stage], ...props.overrides };
    this.settings = settings;
    const retention = settings.logRetention;
    const tenantClaim = props.tenantClaim ?? 'tenant';

    // --- Storage: the single table, from the shared schema --------------------------------------
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      globalSecondaryIndexes: tableIndexes(props.indexMigrationStep).map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType[index.projection.type],
        ...(index.projection.type === 'INCLUDE' ? { nonKeyAttributes: [...index.projection.attributes] } : {}),
      })),
      dynamoStream: dynamodb.StreamViewType[STREAM_VIEW],
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: settings.deletionProtection,
      removalPolicy: settings.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // --- Events: the bus, its archive, and the queues that catch what cannot be delivered -------
    const archiveDays = props.eventArchiveDays ?? 25;
    if (archiveDays > 30) throw new Error(`eventArchiveDays must be at most 30 (an erasure must reach the archive within GDPR's month), not ${archiveDays}.`);
    this.bus = new events.EventBus(this, 'Bus', { description: 'Rapport domain events (TMF629, CRM, BIAN)' });
    this.bus.archive('Archive', {
      description: 'Every Rapport event, for replay',
      eventPattern: { account: [this.account] },
      retention: Duration.days(archiveDays),
    });
    const deadLetterQueue = (name: string, purpose: string) => {
      const queue = new sqs.Queue(this, name, { retentionPeriod: Duration.days(14), enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED });
      Validations.of(queue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: `This queue is itself the dead-letter queue for ${purpose}; messages are inspected and redriven by operators, so a further DLQ has nothing to catch.`,
      });
      return queue;
    };
    const publishDlq = deadLetterQueue('PublishDeadLetterQueue', 'events the stream publisher could not put on the bus');
    const streamDlq = deadLetterQueue('StreamDeadLetterQueue', 'stream batches the publisher failed on after all retries');
    const notifyDlq = deadLetterQueue('NotifyDeadLetterQueue', 'TMF hub notifications that no retry could deliver');
    const webhookDlq = deadLetterQueue(
      'WebhookDeadLetterQueue',
      'webhook deliveries the worker failed on five times (the table or the queue, not the receiver)',
    );
    const streamWebhookDlq = deadLetterQueue('WebhookStreamDeadLetterQueue', 'stream batches the webhook dispatcher failed on after all retries');
    // Webhook deliveries waiting for their attempt (functions/events/webhook-queue.ts): durable, delayed up to 15 minutes at a
    // time; the worker's visibility timeout is six times its own, as Lambda advises for SQS sources.
    const webhookQueue = new sqs.Queue(this, 'WebhookDeliveryQueue', {
      retentionPeriod: Duration.days(4),
      visibilityTimeout: Duration.seconds(SIZING.webhookWorker.timeout.toSeconds() * 6),
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      deadLetterQueue: { queue: webhookDlq, maxReceiveCount: 5 },
    });
    // An import's rows' events, waiting for the import relay (functions/events/import-record-events.ts): a big job's backlog
    // drains at the relay's pace, so it is kept 14 days.
    const importRelayDlq = deadLetterQueue('ImportRelayDeadLetterQueue', 'import rows’ events the relay failed on five times');
    const importEventQueue = new sqs.Queue(this, 'ImportEventQueue', {
      retentionPeriod: Duration.days(14),
      visibilityTimeout: Duration.seconds(SIZING.importRelay.timeout.toSeconds() * 6),
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      deadLetterQueue: { queue: importRelayDlq, maxReceiveCount: 5 },
    });

    // --- Functions -------------------------------------------------------------------------------
    const logGroups = new Map<string, logs.LogGroup>();
    const logGroupFor = (name: string) => {
      let group = logGroups.get(name);
      if (!group) {
        group = new logs.LogGroup(this, `${name}Logs`, { retention, removalPolicy: RemovalPolicy.DESTROY });
        logGroups.set(name, group);
      }
      return group;
    };
    const role = (name: string, description: string) => {
      const created = new iam.Role(this, name, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description });
      Validations.of(created).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          "Active X-Ray tracing grants xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions: '*' is the only resource AWS accepts for them. Every other statement of this role names its resources.",
      });
      return created;
    };
    // Signing secrets (webhooks, TMF hubs) are sealed under this key: envelope encryption (functions/storage/table/sealed-secrets.ts).
    const secretsKey = new kms.Key(this, 'SecretsKey', {
      description: 'Rapport: seals webhook and TMF hub signing secrets (envelope encryption)',
      enableKeyRotation: true,
      removalPolicy: settings.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    /**
     * Lets a role have the secrets key make data keys (seal) or decrypt them (open), only for secrets
     * of these records: the `record` of the encryption context every data key is bound to.
     */
    const allowSecrets = (grantee: iam.IRole, action: 'kms:GenerateDataKey' | 'kms:Decrypt', records: SecretRecord[]) =>
      grantee.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: [action],
          resources: [secretsKey.keyArn],
          conditions: { StringEquals: { 'kms:EncryptionContext:record': records } },
        }),
      );
    const common: FunctionCommon = {
      tableName: this.table.tableName,
      tenantClaim,
      customerRetentionDays: props.customerRetentionDays ?? 30,
      webhookQueueUrl: webhookQueue.queueUrl,
      secretsKeyId: secretsKey.keyArn,
    };
    const newFunction = (id: string, entry: string, fnRole: iam.IRole, logGroup: logs.ILogGroup, service: string, extra: FunctionExtras = {}) =>
      rapportFunction(this, id, { entry, role: fnRole, logGroup, service, common, ...extra });

    // API functions share one role per access level: a read operation's function cannot write. The writes that store
    // signing secrets have their own: only they may have data keys made, for the records they seal secrets of.
    const apiRoles = {
      read: role('ApiReadRole', 'Rapport read operations: read-only access to the table'),
      write: role('ApiWriteRole', 'Rapport write operations: read and write access to the table'),
      sealsSecrets: role('ApiSecretWriteRole', 'Rapport write operations that store signing secrets: read and write access to the table, sealing secrets'),
      search: role('ApiSearchRole', 'Rapport search operations: read-only access to the table and the search database (RDS Data API)'),
      files: role('ApiFilesRole', 'Rapport import operations that write: read and write access to the table and the files bucket, starting import runs'),
      filesRead: role('ApiFilesReadRole', 'Rapport import operations that read: read access to the table and the files bucket'),
    };
    // --- The search projection's database (lib/search-database.ts): Aurora PostgreSQL Serverless v2 through the Data API ---
    const search = new SearchDatabase(this, 'Search', { deletionProtection: settings.deletionProtection });
    this.table.grantReadData(apiRoles.search);
    search.grantAccess(apiRoles.search);
    this.table.grantReadData(apiRoles.read);
    this.table.grantReadWriteData(apiRoles.write);
    this.table.grantReadWriteData(apiRoles.sealsSecrets);
    allowSecrets(apiRoles.sealsSecrets, 'kms:GenerateDataKey', ['webhook', 'hub', 'webhook-replay']);
    // A webhook creation's answer, kept sealed for an Idempotency-Key replay, is opened for the replay; no other secret.
    allowSecrets(apiRoles.sealsSecrets, 'kms:Decrypt', ['webhook-replay']);
    // A redelivery (POST …/deliveries/{id}/redeliver) is queued by the write function.
    webhookQueue.grantSendMessages(apiRoles.write);

    // --- Bulk import (issue 27): the files bucket, the import state machine and its steps, in a nested stack (lib/imports.ts) ---
    const imports = new Imports(this, 'Imports', {
      table: this.table,
      // How the nested stack names the table's ARN it is handed (CDK's parameter for a reference to a resource of this stack).
      tableArnParameter: `referenceto${Names.uniqueId(this.table.node.defaultChild as dynamodb.CfnGlobalTable)}Arn`,
      common,
      retention,
      deletionProtection: settings.deletionProtection,
      search,
    });
    this.table.grantReadWriteData(apiRoles.files);
    this.table.grantReadData(apiRoles.filesRead);
    imports.grantApi(apiRoles.files, true);
    imports.grantApi(apiRoles.filesRead, false);

    // --- HTTP API with its authorizer ------------------------------------------------------------
    const { authorizer, authorizerFunction, trigger } = this.apiAuthorizer(props, settings.deletionProtection, tenantClaim, logGroupFor, newFunction, role);
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention, removalPolicy: RemovalPolicy.DESTROY });
    this.api = new HttpApi(this, 'Api', {
      description: 'Rapport: TMF629, BIAN CRM and Case Management, CRM customer API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: ['*'],
        allowMethods: [CorsHttpMethod.ANY],
        allowHeaders: ['authorization', 'content-type', 'if-match', 'idempotency-key', 'x-correlation-id'],
        exposeHeaders: exposedHeaders(),
      },
    });
    this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: settings.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sub: '$context.authorizer.sub',
          }),
        ),
      },
    });

    // The key list cursors are signed with: a client cannot forge or alter a cursor (functions/storage/table/list-cursor.ts).
    const cursorSecret = new secretsmanager.Secret(this, 'CursorSecret', {
      description: 'Rapport: the HMAC key of list cursors',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(cursorSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The secret signs list cursors, which live for one paging session; functions read it at deploy time (environment), so rotating it means changing it and deploying, which invalidates only the cursors then outstanding (README, "Operating Rapport").',
    });

    // --- One nested stack per family: its functions, integrations and routes (lib/family-api.ts) ---
    const apiFunctions = new Map<string, lambda.IFunction[]>();
    for (const family of [...new Set(operations.map((op) => op.family))]) {
      const familyApi = new FamilyApi(this, `${pascalCase(family)}Api`, {
        family,
        operations: operations.filter((op) => op.family === family),
        api: this.api,
        authorizer,
        roles: apiRoles,
        searchEnvironment: search.functionEnvironment,
        filesEnvironment: imports.functionEnvironment,
        retention,
        common,
        cursorSecret,
      });
      apiFunctions.set(family, familyApi.functions);
    }

    // --- The $default route: unknown paths (404), wrong methods (405 + Allow), trailing slashes (308), in the family's error body.
    // No authorizer, so a browser's or caller's mistake gets the same answer with or without a token; the function reads nothing.
    const unmatchedRole = role('UnmatchedRouteRole', 'Rapport $default route: answers requests no operation matches; no data access');
    const unmatched = newFunction(functionId(unmatchedRoute.name), unmatchedRoute.handler, unmatchedRole, logGroupFor('Unmatched'), 'unmatched', {
      description: 'Answers requests that no operation route matches (404, 405, 308) in the family error body',
      ...SIZING.apiRead,
    });
    const defaultRoute = new HttpRoute(this, 'DefaultRoute', {
      httpApi: this.api,
      routeKey: HttpRouteKey.DEFAULT,
      integration: new HttpLambdaIntegration('DefaultRouteIntegration', unmatched),
    });
    Validations.of(defaultRoute).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'The $default route only answers requests that match no operation (404, 405 with Allow, 308 for a trailing slash) from the catalog, which the public OpenAPI document already describes; its function has no data access. Every operation route has the API authorizer; each function checks its operation scope.',
    });

    // --- The public reference: /openapi.json and /docs (Swagger UI bundled from npm), no authorizer, nothing else exposed.
    // Its bundle gets the document generated from the catalog and Swagger UI's files beside it (lib/docs-files.ts).
    const docsRole = role('DocsRole', 'Rapport reference: serves the OpenAPI document and its page from its own package; no data access');
    const docs = newFunction(functionId(docsRoute.name), docsRoute.handler, docsRole, logGroupFor('Docs'), 'docs', {
      description: 'Serves the OpenAPI document and the reference page that shows it, without a token',
      ...SIZING.apiRead,
      bundling: DOCS_BUNDLING,
    });
    const docsIntegration = new HttpLambdaIntegration('DocsIntegration', docs);
    docsRoute.paths.forEach((path, i) => {
      const route = new HttpRoute(this, `DocsRoute${i + 1}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(path, HttpMethod.GET),
        integration: docsIntegration,
      });
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'The public reference (the OpenAPI document and the page that shows it) is meant to be read without a token; its function serves a fixed list of files from its own package and has no data access.',
      });
    });

    // --- Stream publisher: event items → EventBridge -------------------------------------------
    const publisherRole = role('PublisherRole', 'Rapport stream publisher: reads the table stream, puts events, parks failures');
    this.bus.grantPutEventsTo(publisherRole);
    publishDlq.grantSendMessages(publisherRole);
    importEventQueue.grantSendMessages(publisherRole);
    const publisher = newFunction(functionId(streamPublisher.name), streamPublisher.handler, publisherRole, logGroupFor('Publisher'), SERVICE.publisher, {
      description: 'Carries event items from the table stream to the EventBridge bus (an import row’s to the import relay queue)',
      ...SIZING.publisher,
      environment: { EVENT_BUS_NAME: this.bus.eventBusName, PUBLISH_DLQ_URL: publishDlq.queueUrl, IMPORT_EVENTS_QUEUE_URL: importEventQueue.queueUrl },
    });
    // Both consumers of the stream take only inserted event items (the outbox), in the same batches, with the same retries.
    const eventItemStream = (onFailure: sqs.IQueue, startingPosition: lambda.StartingPosition, reportBatchItemFailures: boolean) =>
      new DynamoEventSource(this.table, {
        startingPosition,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        retryAttempts: 10,
        maxRecordAge: Duration.hours(24),
        reportBatchItemFailures,
        onFailure: new SqsDlq(onFailure),
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { entity: { S: lambda.FilterRule.isEqual(EVENT_ENTITY) } } },
          }),
        ],
      });
    publisher.addEventSource(eventItemStream(streamDlq, lambda.StartingPosition.TRIM_HORIZON, true));

    // --- Event rules and their targets (the TMF listener notifier) -----------------------------
    const notifierRole = role('NotifierRole', 'Rapport event targets: read hub registrations, park failed deliveries');
    this.table.grantReadData(notifierRole);
    notifyDlq.grantSendMessages(notifierRole);
    // It signs notifications with the registrations' secrets.
    allowSecrets(notifierRole, 'kms:Decrypt', ['hub']);
    // The search projector reads customers and writes the search database, nothing else.
    const projectorRole = role('SearchProjectorRole', 'Rapport search projector: reads customers, writes the search database (RDS Data API)');
    this.table.grantReadData(projectorRole);
    search.grantAccess(projectorRole);
    const background: lambda.IFunction[] = [publisher, unmatched, docs];
    for (const rule of eventRules) {
      const target = newFunction(functionId(rule.name), rule.handler, rule.search ? projectorRole : notifierRole, logGroupFor('Notifier'), SERVICE.notifier, {
        description: rule.description,
        ...SIZING.notifier,
        environment: { NOTIFY_DLQ_URL: notifyDlq.queueUrl, ...(rule.search ? search.functionEnvironment : {}) },
      });
      new events.Rule(this, `${rule.name}Rule`, { eventBus: this.bus, description: rule.description, eventPattern: rule.pattern }).addTarget(
        new targets.LambdaFunction(target, { deadLetterQueue: notifyDlq, retryAttempts: 4, maxEventAge: Duration.hours(2) }),
      );
      background.push(target);
    }

    // --- Webhooks: the dispatcher (the stream's second consumer) and the delivery worker ---------------
    const webhookRole = role('WebhookRole', 'Rapport webhooks: read events and webhooks, log deliveries, disable webhooks, queue deliveries');
    this.table.grantReadWriteData(webhookRole);
    webhookQueue.grantSendMessages(webhookRole);
    webhookQueue.grantConsumeMessages(webhookRole);
    streamWebhookDlq.grantSendMessages(webhookRole);
    // The worker signs deliveries with the webhooks' secrets.
    allowSecrets(webhookRole, 'kms:Decrypt', ['webhook']);
    const dispatcher = newFunction(functionId(webhookDispatcher.name), webhookDispatcher.handler, webhookRole, logGroupFor('Webhooks'), SERVICE.webhooks, {
      description: 'Queues a webhook delivery of each event item for each webhook that takes it',
      ...SIZING.publisher,
    });
    // From the newest record: the dispatcher's first deployment finds no webhook to offer older events to.
    dispatcher.addEventSource(eventItemStream(streamWebhookDlq, lambda.StartingPosition.LATEST, false));
    const worker = newFunction(functionId(webhookWorker.name), webhookWorker.handler, webhookRole, logGroupFor('Webhooks'), SERVICE.webhooks, {
      description: 'Makes webhook delivery attempts (signed, logged) and queues retries on the schedule',
      ...SIZING.webhookWorker,
    });
    worker.addEventSource(new SqsEventSource(webhookQueue, { batchSize: 10, reportBatchItemFailures: true }));
    Validations.of(webhookRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.table.node.defaultChild as dynamodb.CfnGlobalTable)}.Arn>/index/*]`,
      reason:
        "The read/write grant covers the table's own GSIs (table ARN + /index/*); the webhook functions read no index, but the grant is the table's standard one and no other table is reachable.",
    });
    background.push(dispatcher, worker);

    // --- The import relay: an import's rows' events, paced (2 batches of 10 at once), to the bus and the webhooks or the search rows ---
    const relayRole = role('ImportRelayRole', 'Rapport import relay: reads events and import jobs, puts events, queues webhook deliveries, writes search rows');
    this.table.grantReadData(relayRole);
    this.bus.grantPutEventsTo(relayRole);
    webhookQueue.grantSendMessages(relayRole);
    importEventQueue.grantConsumeMessages(relayRole);
    search.grantAccess(relayRole);
    const relay = newFunction(functionId(importRelay.name), importRelay.handler, relayRole, logGroupFor('Imports'), SERVICE.imports, {
      description: 'Relays an import’s rows’ events at a bounded pace: to the bus and the webhooks when its job asked, else to the search projection',
      ...SIZING.importRelay,
      environment: { EVENT_BUS_NAME: this.bus.eventBusName, ...search.functionEnvironment },
    });
    relay.addEventSource(new SqsEventSource(importEventQueue, { batchSize: 10, maxConcurrency: 2, reportBatchItemFailures: true }));
    background.push(relay);

    // --- Scheduled functions (EventBridge Scheduler): the due sweep -------------------------------
    const scheduleDlq = deadLetterQueue('ScheduleDeadLetterQueue', 'scheduled runs that failed after all retries');
    const sweepRole = role('SweepRole', 'Rapport scheduled jobs: read the due index, flag items with their events');
    this.table.grantReadWriteData(sweepRole);
    const scheduled = schedules.map((schedule) => {
      const id = functionId(pascalCase(schedule.name));
      const everyMinutes = props.scheduleEveryMinutes ?? schedule.everyMinutes;
      const fn = newFunction(id, schedule.handler, sweepRole, logGroupFor('Schedules'), SERVICE.sweep, {
        description: schedule.description,
        ...SIZING.sweep,
        timeout: sweepTimeout(everyMinutes),
        reservedConcurrentExecutions: 1,
      });
      Validations.of(this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(fn.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
        reason: `The scheduler's role may invoke the ${schedule.name} function and only it; ':*' covers that one function's versions and aliases, as EventBridge Scheduler's Lambda target requires.`,
      });
      new Schedule(this, `${id}Schedule`, {
        description: schedule.description,
        schedule: ScheduleExpression.rate(Duration.minutes(everyMinutes)),
        target: new LambdaInvoke(fn, {
          input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
          retryAttempts: 3,
          maxEventAge: Duration.minutes(15),
          deadLetterQueue: scheduleDlq,
        }),
      });
      return { name: schedule.name, fn };
    });
    background.push(...scheduled.map((s) => s.fn));

    for (const [fnRole, what] of [
      [apiRoles.read, 'read'],
      [apiRoles.write, 'read/write'],
      [apiRoles.sealsSecrets, 'read/write'],
      [apiRoles.search, 'read'],
      [notifierRole, 'read'],
      [projectorRole, 'read'],
      [relayRole, 'read'],
      [sweepRole, 'read/write'],
      [apiRoles.files, 'read/write'],
      [apiRoles.filesRead, 'read'],
    ] as const) {
      Validations.of(fnRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.table.node.defaultChild as dynamodb.CfnGlobalTable)}.Arn>/index/*]`,
        reason: `The ${what} grant covers the table's own GSIs (table ARN + /index/*), which the list queries read; no other table is reachable.`,
      });
    }

    // --- Alarms (SNS topic) and the dashboard ----------------------------------------------------------
    this.monitoring = new RapportMonitoring(this, 'Monitoring', {
      stage,
      thresholds: settings.alarms,
      throttleRate: settings.throttle.rateLimit,
      api: this.api,
      apiFunctions,
      backgroundFunctions: [...background, ...imports.functions, ...(trigger ? [trigger] : []), authorizerFunction],
      publisher,
      sweep: scheduled.find((s) => s.name === 'due-sweep')!.fn,
      deadLetterQueues: {
        Publish: publishDlq,
        Stream: streamDlq,
        Notify: notifyDlq,
        Schedule: scheduleDlq,
        Webhook: webhookDlq,
        WebhookStream: streamWebhookDlq,
        ImportRelay: importRelayDlq,
      },
      webhooks: { dispatcher, queue: webhookQueue },
      importEvents: importEventQueue,
      alarmEmail: props.alarmEmail,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    // What `npm run search-reconcile` needs to reach the search database (bin/search-reconcile.ts).
    new CfnOutput(this, 'SearchClusterArn', { value: search.functionEnvironment.SEARCH_CLUSTER_ARN! });
    new CfnOutput(this, 'SearchSecretArn', { value: search.functionEnvironment.SEARCH_SECRET_ARN! });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'SecretsKeyArn', { value: secretsKey.keyArn });
  }

  /**
   * The API's authorizer: a Lambda REQUEST authorizer (functions/auth/authorize.ts) that verifies the
   * token of the given issuer/audience, or of a Cognito user pool and app client made here, and
   * decides the caller's access (Cedar). API Gateway keeps its answer per token for
   * ACCESS_RESULT_CACHE_SECONDS, the function its reads for ACCESS_CACHE_SECONDS: a change of access
   * is in force within their sum (4 s).
   */
  private apiAuthorizer(
    props: RapportStackProps,
    deletionProtection: boolean,
    tenantClaim: string,
    logGroupFor: (name: string) => logs.LogGroup,
    newFunction: (id: string, entry: string, fnRole: iam.IRole, logGroup: logs.ILogGroup, service: string, extra?: FunctionExtras) => NodejsFunction,
    role: (name: string, description: string) => iam.Role,
  ): { authorizer: HttpLambdaAuthorizer; authorizerFunction: NodejsFunction; trigger?: NodejsFunction } {
    const { issuer, audience, trigger } =
      props.jwtIssuer && props.jwtAudience?.length
        ? { issuer: props.jwtIssuer, audience: props.jwtAudience, trigger: undefined }
        : this.userPool(deletionProtection, tenantClaim, logGroupFor, newFunction, role);
    const authorizerRole = role('AuthorizerRole', "The API's authorizer: reads the tenants' access models");
    // It reads the access partitions only: the table itself, none of its indexes.
    authorizerRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'], resources: [this.table.tableArn] }),
    );
    const authorizerFunction = newFunction('AuthorizerFunction', 'functions/auth/authorize.ts', authorizerRole, logGroupFor('Auth'), SERVICE.auth, {
      description: 'Verifies API tokens and decides what the caller may see and change (Cedar)',
      ...SIZING.authorizer,
      environment: { JWT_ISSUER: issuer, JWT_AUDIENCE: audience.join(','), ACCESS_CACHE_SECONDS: String(ACCESS_CACHE_SECONDS) },
      bundling: CEDAR_BUNDLING,
    });
    const authorizer = new HttpLambdaAuthorizer('ApiAuthorizer', authorizerFunction, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: Duration.seconds(ACCESS_RESULT_CACHE_SECONDS),
    });
    return { authorizer, authorizerFunction, trigger };
  }

  /** A Cognito user pool and app client, with the trigger that adds the tenant claim: the issuer and audience of Rapport's tokens when none are given. */
  private userPool(
    deletionProtection: boolean,
    tenantClaim: string,
    logGroupFor: (name: string) => logs.LogGroup,
    newFunction: (id: string, entry: string, fnRole: iam.IRole, logGroup: logs.ILogGroup, service: string, extra?: FunctionExtras) => NodejsFunction,
    role: (name: string, description: string) => iam.Role,
  ): { issuer: string; audience: string[]; trigger: NodejsFunction } {
    const triggerRole = role('TenantClaimRole', 'Cognito pre-token trigger that adds the tenant claim');
    const tenantClaimTrigger = newFunction('TenantClaimFunction', 'functions/auth/add-tenant-claim.ts', triggerRole, logGroupFor('Auth'), SERVICE.auth, {
      description: `Adds the ${tenantClaim} claim to Cognito tokens`,
      ...SIZING.auth,
    });
    const pool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true, username: true },
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      customAttributes: { tenant: new cognito.StringAttribute({ mutable: false, minLen: 1, maxLen: 64 }) },
      removalPolicy: deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      deletionProtection,
    });
    pool.addTrigger(cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, tenantClaimTrigger, cognito.LambdaVersion.V2_0);
    const plusTierReason =
      'Threat protection needs the Cognito PLUS feature plan, a per-user cost the platform team opts into; MFA is required and self sign-up is off, so sign-in is already limited to provisioned users with a second factor. Teams with their own identity provider pass jwtIssuer/jwtAudience and get no user pool at all.';
    Validations.of(pool).acknowledge({ id: 'AwsSolutions-COG3', reason: plusTierReason });
    Validations.of(pool).acknowledge({ id: 'AwsSolutions-COG8', reason: plusTierReason });
    const server = pool.addResourceServer('Api', {
      identifier: 'rapport',
      scopes: [
        new cognito.ResourceServerScope({ scopeName: SCOPES.read.split('/')[1]!, scopeDescription: 'Read customers and related records' }),
        new cognito.ResourceServerScope({ scopeName: SCOPES.write.split('/')[1]!, scopeDescription: 'Create and change customers and related records' }),
        new cognito.ResourceServerScope({ scopeName: SCOPES.admin.split('/')[1]!, scopeDescription: "Change the tenant's configuration: its custom fields" }),
      ],
    });
    const client = pool.addClient('ApiClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, ...Object.values(SCOPES).map((scope) => cognito.OAuthScope.custom(scope))],
        callbackUrls: ['http://localhost:3000/callback'],
      },
      accessTokenValidity: Duration.hours(1),
      preventUserExistenceErrors: true,
    });
    client.node.addDependency(server);
    new CfnOutput(this, 'UserPoolId', { value: pool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
    return { issuer: `https://cognito-idp.${this.region}.amazonaws.com/${pool.userPoolId}`, audience: [client.userPoolClientId], trigger: tenantClaimTrigger };
  }
}
