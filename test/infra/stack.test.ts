import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { App, type CfnElement, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addRapport } from '../../lib/rapport-app.ts';
import { functionId } from '../../lib/function.ts';
import { docsRoute, operations } from '../../functions/catalog.ts';
import { pathsOf, writes } from '../../functions/http/operation.ts';
import { INDEXES } from '../../functions/storage/table/table-schema.ts';
import { ACCESS_RESULT_CACHE_SECONDS, SIZING } from '../../lib/sizing.ts';
import { pascalCase } from '../../lib/names.ts';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
type TemplateJson = { Resources: Record<string, Resource>; Parameters?: Record<string, unknown>; Outputs?: Record<string, { Value: unknown }> };

/**
 * An app as `bin/app.ts` builds it, with bundling skipped for speed. `resources` is every resource
 * of the root and its nested stacks in one map, with the references between them resolved (a
 * nested stack's parameter becomes the root's value; a root's `Fn::GetAtt` of a nested output
 * becomes the nested value), so a test reads the whole deployment as one template.
 */
const synthesize = (context: Record<string, unknown> = {}) => {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'rapport-cdk-')), context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = addRapport(app);
  const assembly = app.synth();
  const template = Template.fromStack(stack);
  const root = template.toJSON() as TemplateJson;
  const nested = stack.node
    .findAll()
    .filter((c): c is NestedStack => c instanceof NestedStack)
    .map((n) => ({ stack: n, logicalId: stack.getLogicalId(n.nestedStackResource as CfnElement), json: Template.fromStack(n).toJSON() as TemplateJson }));
  let merged = JSON.stringify(root.Resources);
  for (const n of nested) {
    const parameters = root.Resources[n.logicalId]!.Properties.Parameters as Record<string, unknown>;
    let inner = JSON.stringify(n.json.Resources);
    for (const [name, value] of Object.entries(parameters ?? {})) inner = inner.replaceAll(JSON.stringify({ Ref: name }), JSON.stringify(value));
    for (const [name, output] of Object.entries(n.json.Outputs ?? {}))
      merged = merged.replaceAll(JSON.stringify({ 'Fn::GetAtt': [n.logicalId, `Outputs.${name}`] }), JSON.stringify(output.Value));
    merged = `${merged.slice(0, -1)},${inner.slice(1)}`;
  }
  return { stack, assembly, template, root, nested, resources: JSON.parse(merged) as Record<string, Resource> };
};

describe('the CDK stack', () => {
  let template: Template;
  let resources: Record<string, Resource>;
  let synthesized: ReturnType<typeof synthesize>;
  beforeAll(() => {
    synthesized = synthesize();
    ({ template, resources } = synthesized);
  });
  const logicalIdOf = (prefix: string) => Object.keys(resources).find((id) => id.startsWith(prefix) && resources[id]!.Type === 'AWS::Lambda::Function');

  it('has one Node.js 24 arm64 function per catalog operation', () => {
    for (const op of operations) {
      const id = logicalIdOf(functionId(op.name));
      expect(id, op.name).toBeDefined();
      expect(resources[id!]!.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
    }
    const apiFunctions = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.Description ?? '').includes('/'));
    expect(apiFunctions).toHaveLength(operations.length);
  });

  it('keeps the root stack free of operations: each family’s functions, integrations and routes are in its own nested stack', () => {
    const { root, nested } = synthesized;
    const perOperation = ['AWS::Lambda::Function', 'AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::Integration'];
    const rootApiFunctions = Object.values(root.Resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.Description ?? '').includes('/'),
    );
    expect(rootApiFunctions).toEqual([]);
    // The root's routes are $default, for requests no operation matches (functions/unmatched-route.ts), and the public reference's.
    expect(
      Object.values(root.Resources)
        .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
        .map((r) => r.Properties.RouteKey),
    ).toEqual(['$default', ...docsRoute.paths.map((path) => `GET ${path}`)]);
    const families = [...new Set(operations.map((op) => op.family))];
    expect(nested.map((n) => n.stack.node.id).sort()).toEqual([...families.map((f) => `${pascalCase(f)}Api`), 'Search', 'Imports'].sort());
    for (const family of families) {
      const { json } = nested.find((n) => n.stack.node.id === `${pascalCase(family)}Api`)!;
      const count = operations.filter((op) => op.family === family).length;
      const paths = operations.filter((op) => op.family === family).reduce((sum, op) => sum + pathsOf(op).length, 0);
      // Functions and integrations per operation; routes and invoke permissions per path.
      for (const type of perOperation)
        expect(
          Object.values(json.Resources).filter((r) => r.Type === type),
          `${family} ${type}`,
        ).toHaveLength(type === 'AWS::ApiGatewayV2::Route' || type === 'AWS::Lambda::Permission' ? paths : count);
    }
  });

  it('stays well under CloudFormation’s 500 resources, 200 parameters and 200 outputs in every stack (fails at 400 resources, so a family is split before the limit)', () => {
    const { root, nested } = synthesized;
    for (const [name, json] of [['root', root] as const, ...nested.map((n) => [n.stack.node.id, n.json] as const)]) {
      const count = Object.keys(json.Resources).length;
      expect(count, `${count} resources in ${name}: split it before adding operations`).toBeLessThan(400);
      expect(Object.keys(json.Parameters ?? {}).length, name).toBeLessThan(150);
      expect(Object.keys(json.Outputs ?? {}).length, name).toBeLessThan(150);
    }
  });

  it('does not grow the root with operations: a family stack costs the root one resource, an operation four in its family stack', () => {
    const { root, nested } = synthesized;
    expect(Object.values(root.Resources).filter((r) => r.Type === 'AWS::CloudFormation::Stack')).toHaveLength(nested.length);
    // Every nested stack is a family's, but the search database's (its VPC and cluster: lib/search-database.ts) and bulk import's (lib/imports.ts).
    for (const n of nested.filter((n) => !['Search', 'Imports'].includes(n.stack.node.id))) {
      const family = operations.filter((op) => `${pascalCase(op.family)}Api` === n.stack.node.id);
      const aliases = family.reduce((sum, op) => sum + (op.aliasPaths?.length ?? 0), 0);
      // function, integration, route, invoke permission per operation; a route and a permission per further path; the family's log group.
      expect(Object.keys(n.json.Resources).length, n.stack.node.id).toBe(4 * family.length + 2 * aliases + 1);
    }
    // At four resources per operation, a family holds 99 operations before its stack reaches 400.
    // The root holds what every family shares (the table, the API, roles, the bus, background functions and their alarms): far under CloudFormation's 500.
    expect(Object.keys(root.Resources).length).toBeLessThan(175);
  });

  it('wires every route to its own function behind the API authorizer (the kernel checks the scopes: test/integration/access-*.test.ts)', () => {
    const reference = docsRoute.paths.map((path) => `GET ${path}`);
    const routes = Object.values(resources).filter(
      (r) => r.Type === 'AWS::ApiGatewayV2::Route' && r.Properties.RouteKey !== '$default' && !reference.includes(r.Properties.RouteKey as string),
    );
    expect(routes).toHaveLength(operations.reduce((sum, op) => sum + pathsOf(op).length, 0));
    for (const op of operations)
      for (const path of pathsOf(op)) {
        const route = routes.find((r) => r.Properties.RouteKey === `${op.method} ${path}`);
        expect(route, `${op.method} ${path}`).toBeDefined();
        expect(route!.Properties.AuthorizationType).toBe('CUSTOM');
        expect(route!.Properties.AuthorizerId).toBeDefined();
        const integrationId = (route!.Properties.Target as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1][1] as { Ref: string };
        const integration = resources[integrationId.Ref]!;
        const uri = JSON.stringify(integration.Properties.IntegrationUri);
        expect(uri).toContain(logicalIdOf(functionId(op.name)));
      }
  });

  it('serves the OpenAPI document and the reference page without a token, from a function with no data access', () => {
    const docs = logicalIdOf(functionId(docsRoute.name))!;
    for (const path of docsRoute.paths) {
      const route = Object.values(resources).find((r) => r.Type === 'AWS::ApiGatewayV2::Route' && r.Properties.RouteKey === `GET ${path}`);
      expect(route, path).toBeDefined();
      expect(route!.Properties.AuthorizationType ?? 'NONE', path).toBe('NONE');
      const integrationId = (route!.Properties.Target as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1][1] as { Ref: string };
      expect(JSON.stringify(resources[integrationId.Ref]!.Properties.IntegrationUri)).toContain(docs);
    }
    const roleRef = (resources[docs]!.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const actions = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleRef))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement.flatMap((s) => s.Action));
    // X-Ray only: no table, queue, bucket, key or database.
    expect(actions.filter((a) => !a.startsWith('xray:'))).toEqual([]);
  });

  it('gives read functions no write permission on the table', () => {
    const policies = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy');
    const actionsOf = (roleRef: string) =>
      policies
        .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleRef))
        .flatMap((p) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement.flatMap((s) => s.Action));
    for (const op of operations) {
      const fn = resources[logicalIdOf(functionId(op.name))!]!;
      const roleRef = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const actions = actionsOf(roleRef);
      const tableWrites = actions.filter((a) => /dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)/.test(a));
      if (op.access === 'read') {
        expect(actions, op.name).toContain('dynamodb:Query');
        expect(tableWrites, op.name).toEqual([]);
      } else {
        expect(tableWrites.length, op.name).toBeGreaterThan(0);
      }
    }
  });

  it('seals signing secrets under a rotating KMS key: only the functions that store secrets have data keys made, only those that sign decrypt, each for its own records', () => {
    const keyId = Object.keys(resources).find((id) => id.startsWith('SecretsKey') && resources[id]!.Type === 'AWS::KMS::Key')!;
    expect(resources[keyId]!.Properties.EnableKeyRotation).toBe(true);
    type Statement = { Action: string | string[]; Resource: unknown; Condition?: { StringEquals?: Record<string, unknown> } };
    const statements = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((p) =>
        (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement.map((statement) => ({
          statement,
          roles: p.Properties.Roles as { Ref: string }[],
        })),
      );
    const roleOf = (prefix: string) => (resources[logicalIdOf(prefix)!]!.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    /** A function's KMS actions, each with the records (the encryption context's `record`) it may use them for. */
    const kmsGrants = (prefix: string) =>
      Object.fromEntries(
        statements
          .filter(({ roles, statement }) => roles.some((r) => r.Ref === roleOf(prefix)) && [statement.Action].flat().some((a) => a.startsWith('kms:')))
          .map(({ statement }) => {
            expect(statement.Resource).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
            return [[statement.Action].flat().join(), statement.Condition?.StringEquals?.['kms:EncryptionContext:record']];
          }),
      );
    for (const op of operations)
      expect(kmsGrants(functionId(op.name)), op.name).toEqual(
        op.sealsSecrets ? { 'kms:GenerateDataKey': ['webhook', 'hub', 'webhook-replay'], 'kms:Decrypt': ['webhook-replay'] } : {},
      );
    expect(
      operations
        .filter((op) => op.sealsSecrets)
        .map((op) => op.name)
        .sort(),
    ).toEqual(['createWebhook', 'registerListener', 'registerListenerV3', 'registerListenerV5', 'rotateWebhookSecret'].sort());
    expect(kmsGrants('DeliverWebhooksFunction')).toEqual({ 'kms:Decrypt': ['webhook'] });
    expect(kmsGrants('Tmf629NotifierFunction')).toEqual({ 'kms:Decrypt': ['hub'] });
    for (const prefix of ['PublishEventsFunction', 'DueSweepFunction']) expect(kmsGrants(prefix), prefix).toEqual({});
    // Every function is told the key (what it may do with it is its role's).
    const functions = Object.values(resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function' && JSON.stringify(r.Properties.Environment ?? {}).includes('TABLE_NAME'),
    );
    for (const fn of functions)
      expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.SECRETS_KEY_ID).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
  });

  it('builds the table from the shared schema: keys, GSIs, stream, TTL, PITR', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: INDEXES.map((index) =>
        Match.objectLike({
          IndexName: index.name,
          Projection:
            index.projection.type === 'INCLUDE'
              ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.attributes] }
              : { ProjectionType: index.projection.type },
        }),
      ),
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    });
  });

  it('projects no index whole: each holds keys, or keys and the attributes its list filters on', () => {
    for (const index of INDEXES) expect(index.projection.type, index.name).not.toBe('ALL');
  });

  it('lets a browser read every response header an operation declares (cursors, counts, Retry-After)', () => {
    const api = template.findResources('AWS::ApiGatewayV2::Api');
    const exposed: string[] = Object.values(api)[0]!.Properties.CorsConfiguration.ExposeHeaders;
    for (const header of ['x-next-cursor', 'link', 'x-total-count', 'x-result-count', 'etag', 'location', 'retry-after', 'x-correlation-id'])
      expect(exposed).toContain(header);
  });

  it('has a custom bus with an archive that forgets within an erasure deadline (25 days; at most 30), and hands every function the retention window of deleted customers', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 25 });
    expect(() => synthesize({ eventArchiveDays: '31' })).toThrow(/at most 30/);
    const variables = (r: (typeof resources)[string]) => (r.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    const functions = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function' && variables(r).TABLE_NAME);
    expect(functions.length).toBeGreaterThan(10);
    for (const fn of functions) expect(variables(fn).CUSTOMER_RETENTION_DAYS).toBe('30');
  });

  it('publishes the stream: filter on inserted event items, partial batch failures, retries, a DLQ', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['EVENT'] } } } }) }] },
    });
  });

  it('offers every event item to the webhooks: a second stream consumer, a durable delivery queue with a redrive policy, its worker', () => {
    const mappings = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping');
    const dispatch = mappings.find((m) => JSON.stringify(m.Properties.FunctionName).includes('DispatchWebhooksFunction'))!;
    expect(dispatch.Properties).toMatchObject({
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      DestinationConfig: { OnFailure: { Destination: expect.anything() } },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['EVENT'] } } } }) }] },
    });
    const work = mappings.find((m) => JSON.stringify(m.Properties.FunctionName).includes('DeliverWebhooksFunction'))!;
    expect(work.Properties).toMatchObject({ BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    const queue = Object.entries(resources).find(([id]) => id.startsWith('WebhookDeliveryQueue'))![1];
    expect(queue.Properties).toMatchObject({
      VisibilityTimeout: SIZING.webhookWorker.timeout.toSeconds() * 6,
      RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: expect.anything() },
      SqsManagedSseEnabled: true,
    });
    // A redelivery is queued by the API's write functions, which are told where the queue is.
    for (const op of operations) {
      const fn = resources[logicalIdOf(functionId(op.name))!]!;
      expect(JSON.stringify((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.WEBHOOK_QUEUE_URL), op.name).toBeDefined();
    }
  });

  it('routes TMF events to the notifier with retries and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['rapport.tmf629'] },
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 }, DeadLetterConfig: Match.anyValue() })],
    });
  });

  it('runs the due sweep from EventBridge Scheduler: every minute unless the context says otherwise, scheduled time as input, retries, a DLQ, one at a time', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      Target: Match.objectLike({
        Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 900 },
        DeadLetterConfig: { Arn: Match.anyValue() },
      }),
    });
    const sweep = Object.entries(resources).find(([id, r]) => id.startsWith('DueSweepFunction') && r.Type === 'AWS::Lambda::Function')![1];
    expect(sweep.Properties.ReservedConcurrentExecutions).toBe(1);
    const everyFive = synthesize({ sweepEveryMinutes: 5 });
    everyFive.template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(5 minutes)' });
    const sweepAtFive = Object.entries(everyFive.template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>).find(
      ([id, r]) => id.startsWith('DueSweepFunction') && r.Type === 'AWS::Lambda::Function',
    )![1];
    expect(sweepAtFive.Properties.Timeout).toBe(120);
  });

  it('logs API access, keeps logs for a bounded time, and throttles the stage (dev defaults)', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 },
    });
    for (const group of Object.values(resources).filter((r) => r.Type === 'AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBe(7);
  });

  it('-c stage=prod selects longer retention, deletion protection, higher throttling and tighter alarms; context overrides single settings', () => {
    const { template: prod, resources: prodResources } = synthesize({ stage: 'prod' });
    for (const group of Object.values(prodResources).filter((r) => r.Type === 'AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBe(180);
    prod.hasResourceProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: { ThrottlingBurstLimit: 1000, ThrottlingRateLimit: 500 } });
    prod.hasResourceProperties('AWS::DynamoDB::GlobalTable', { Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })] });
    prod.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Rapport-prod-Api5xxRate', Threshold: 1, EvaluationPeriods: 5, DatapointsToAlarm: 3 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Rapport-dev-Api5xxRate', Threshold: 5 });
    synthesize({ stage: 'prod', throttleRate: 20, throttleBurst: 40 }).template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingBurstLimit: 40, ThrottlingRateLimit: 20 },
    });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', { Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })] });
    synthesize({ stage: 'prod', deletionProtection: 'false' }).template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })],
    });
    expect(() => synthesize({ stage: 'staging' })).toThrow(/stage must be one of dev, prod/);
    expect(() => synthesize({ throttleRate: 'fast' })).toThrow(/throttleRate must be a positive number/);
  });

  it('traces every function with X-Ray, names its family as the Powertools service, and sizes it from the sizing table', () => {
    const functions = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Runtime === 'nodejs24.x');
    // publisher, notifier, search projector, due sweep, tenant-claim trigger, API authorizer, $default route, webhook dispatcher and worker;
    // the import run's splitter, chunk and finish; the import relay; the export run's begin, part and finish; the public reference
    expect(functions.length).toBe(operations.length + 17);
    for (const fn of functions) expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    for (const op of operations) {
      const fn = resources[logicalIdOf(functionId(op.name))!]!;
      const sizing = writes(op) ? SIZING.apiWrite : SIZING.apiRead;
      expect(fn.Properties).toMatchObject({
        MemorySize: sizing.memorySize,
        Timeout: sizing.timeout.toSeconds(),
        Environment: { Variables: expect.objectContaining({ POWERTOOLS_SERVICE_NAME: op.family }) },
      });
      // List cursors are signed with the stack's secret, resolved by CloudFormation at deploy time.
      expect(JSON.stringify((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.CURSOR_SECRET), op.name).toMatch(
        /\{\{resolve:secretsmanager:.*CursorSecret/,
      );
    }
    expect(resources[logicalIdOf('DueSweepFunction')!]!.Properties).toMatchObject({
      MemorySize: SIZING.sweep.memorySize,
      Timeout: 55, // shorter than its one-minute rate: runs never overlap
    });
  });

  it('creates a Cognito user pool when no issuer is given, and uses the given issuer otherwise', () => {
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    // A Lambda authorizer (simple responses), its answer kept 2 s per token; the function verifies the pool's tokens and decides access.
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      AuthorizerResultTtlInSeconds: ACCESS_RESULT_CACHE_SECONDS,
      IdentitySource: ['$request.header.Authorization'],
    });
    const authorizerFunction = resources[logicalIdOf('AuthorizerFunction')!]!;
    expect(JSON.stringify(authorizerFunction.Properties.Environment)).toContain('cognito-idp');
    // Its resource server and app client know every access level's scope, the admin scope of the field API among them.
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'rapport',
      Scopes: ['read', 'write', 'admin'].map((name) => Match.objectLike({ ScopeName: name })),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', { AllowedOAuthScopes: ['openid', 'rapport/read', 'rapport/write', 'rapport/admin'] });
    const external = synthesize({ jwtIssuer: 'https://idp.example.com/', jwtAudience: 'rapport-api' }).template;
    external.resourceCountIs('AWS::Cognito::UserPool', 0);
    external.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ JWT_ISSUER: 'https://idp.example.com/', JWT_AUDIENCE: 'rapport-api' }) },
    });
  });
});

describe('alarms and dashboard', () => {
  let resources: Record<string, Resource>;
  let alarms: Resource[];
  beforeAll(() => {
    resources = synthesize({ alarmEmail: 'ops@example.com' }).resources;
    alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
  });
  const idsOf = (type: string) =>
    Object.entries(resources)
      .filter(([, r]) => r.Type === type)
      .map(([id]) => id);
  const alarmNamed = (name: string) => alarms.find((a) => a.Properties.AlarmName === `Rapport-dev-${name}`);
  /** The resources an alarm's metrics are about (FunctionName, QueueName, ApiId dimensions), by logical id. */
  const subjectsOf = (alarm: Resource) =>
    [...JSON.stringify(alarm.Properties).matchAll(/"Value":\{"(?:Ref|Fn::GetAtt)":\[?"([A-Za-z0-9]+)"/g)].map((m) => m[1]!);

  it('sends every alarm, and its recovery, to one encrypted SNS topic (with the optional e-mail subscription)', () => {
    const [topicId] = idsOf('AWS::SNS::Topic');
    expect(resources[topicId!]!.Properties.KmsMasterKeyId).toBeDefined();
    expect(
      Object.values(resources).some(
        (r) => r.Type === 'AWS::SNS::Subscription' && r.Properties.Protocol === 'email' && r.Properties.Endpoint === 'ops@example.com',
      ),
    ).toBe(true);
    expect(alarms.length).toBeGreaterThan(10);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions, String(alarm.Properties.AlarmName)).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
    }
  });

  it('alarms on the API 5xx rate (5xx over requests) and p99 latency', () => {
    const rate = alarmNamed('Api5xxRate')!;
    const metrics = rate.Properties.Metrics as { Expression?: string; MetricStat?: { Metric: { MetricName: string } } }[];
    expect(metrics.find((m) => m.Expression)?.Expression).toBe('IF(requests > 0, 100 * errors / requests, 0)');
    expect(
      metrics
        .map((m) => m.MetricStat?.Metric.MetricName)
        .filter(Boolean)
        .sort(),
    ).toEqual(['5xx', 'Count']);
    expect(alarmNamed('ApiLatencyP99')).toMatchObject({ Properties: { MetricName: 'Latency', ExtendedStatistic: 'p99', Threshold: 3000 } });
  });

  it('covers every function with an errors alarm and a throttles alarm, each reading at most 10 metrics', () => {
    const functions = idsOf('AWS::Lambda::Function').filter((id) => (resources[id]!.Properties.Runtime as string) === 'nodejs24.x');
    const byKind = (kind: string) => alarms.filter((a) => String(a.Properties.AlarmName).includes(`Lambda${kind}`));
    for (const kind of ['Errors', 'Throttles']) {
      const covered = new Set(byKind(kind).flatMap(subjectsOf));
      for (const fn of functions) expect(covered.has(fn), `${fn} in a ${kind} alarm`).toBe(true);
      for (const alarm of byKind(kind)) expect((alarm.Properties.Metrics as unknown[]).length).toBeLessThanOrEqual(11);
    }
  });

  it('alarms as soon as any dead-letter queue holds a message, on stream iterator age, and on sweep failures', () => {
    const deliveryQueue = idsOf('AWS::SQS::Queue').find((id) => id.startsWith('WebhookDeliveryQueue'))!;
    const importEventQueue = idsOf('AWS::SQS::Queue').find((id) => id.startsWith('ImportEventQueue'))!;
    for (const queue of idsOf('AWS::SQS::Queue').filter((id) => id !== deliveryQueue && id !== importEventQueue)) {
      const alarm = alarms.find((a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' && subjectsOf(a).includes(queue));
      expect(alarm, queue).toMatchObject({ Properties: { Threshold: 1, EvaluationPeriods: 1, Statistic: 'Maximum' } });
    }
    const publisher = idsOf('AWS::Lambda::Function').find((id) => id.startsWith('PublishEventsFunction'))!;
    expect(alarmNamed('StreamIteratorAge')).toMatchObject({ Properties: { MetricName: 'IteratorAge', Statistic: 'Maximum', Threshold: 15 * 60 * 1000 } });
    expect(subjectsOf(alarmNamed('StreamIteratorAge')!)).toEqual([publisher]);
    const dispatcher = idsOf('AWS::Lambda::Function').find((id) => id.startsWith('DispatchWebhooksFunction'))!;
    expect(alarmNamed('WebhookDispatchIteratorAge')).toMatchObject({
      Properties: { MetricName: 'IteratorAge', Statistic: 'Maximum', Threshold: 15 * 60 * 1000 },
    });
    expect(subjectsOf(alarmNamed('WebhookDispatchIteratorAge')!)).toEqual([dispatcher]);
    // The delivery queue holds retries waiting their turn: it alarms on a backlog of due deliveries, not on one message.
    expect(alarmNamed('WebhookDeliveryBacklog')).toMatchObject({ Properties: { MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1000 } });
    expect(subjectsOf(alarmNamed('WebhookDeliveryBacklog')!)).toEqual([deliveryQueue]);
    // The import relay's queue drains at its pace: it alarms when an event has waited a day, not on a backlog.
    expect(alarmNamed('ImportRelayStuck')).toMatchObject({ Properties: { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 86_400 } });
    expect(subjectsOf(alarmNamed('ImportRelayStuck')!)).toEqual([importEventQueue]);
    const sweep = idsOf('AWS::Lambda::Function').find((id) => id.startsWith('DueSweepFunction'))!;
    expect(alarmNamed('SweepFailed')).toMatchObject({ Properties: { MetricName: 'Errors', Threshold: 1 } });
    expect(subjectsOf(alarmNamed('SweepFailed')!)).toEqual([sweep]);
    const behind = alarmNamed('SweepFallingBehind')!;
    expect(behind.Properties).toMatchObject({ Threshold: 1, EvaluationPeriods: 3, DatapointsToAlarm: 3 });
    expect((behind.Properties.Metrics as unknown[])[0]).toMatchObject({
      MetricStat: { Metric: { Namespace: 'Rapport', MetricName: 'ItemsLeft', Dimensions: [{ Name: 'service', Value: 'due-sweep' }] }, Stat: 'Minimum' },
    });
  });

  it('has a dashboard with traffic, errors, latency and saturation for every family, reading each of its functions', () => {
    const [dashboardId] = idsOf('AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(resources[dashboardId!]!.Properties.DashboardBody);
    for (const family of [...new Set(operations.map((op) => op.family))]) {
      for (const signal of ['traffic', 'errors', 'latency', 'saturation']) expect(body, `${family}: ${signal}`).toContain(`${family}: ${signal}`);
    }
    for (const op of operations) expect(body, op.name).toContain(`"Ref":"${idsOf('AWS::Lambda::Function').find((id) => id.startsWith(functionId(op.name)))}"`);
    for (const metric of ['CustomersCreated', 'EventsPublished', 'ItemsFlagged', 'NotificationsFailed']) expect(body).toContain(metric);
  });
});

describe('the cdk-nag gate (AwsSolutions)', () => {
  it('passes with zero unacknowledged findings, each acknowledgement with a reason', () => {
    const { assembly } = synthesize();
    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as { pluginReports: unknown[] };
    expect(report.pluginReports).toEqual([]);
  });

  it('does fail on a finding (the gate is live)', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'rapport-nag-')) });
    const stack = new Stack(app, 'Bad');
    new sqs.Queue(stack, 'Plain');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow();
  });
});

describe('the search database (issue 26)', () => {
  it('is Aurora PostgreSQL Serverless v2 pausing at 0 ACU, reached through the Data API by the search functions, the projector, the import relay and the export parts only', () => {
    const { resources } = synthesize();
    const clusters = Object.values(resources).filter((r) => r.Type === 'AWS::RDS::DBCluster');
    expect(clusters).toHaveLength(1);
    expect(clusters[0]!.Properties).toMatchObject({
      Engine: 'aurora-postgresql',
      EnableHttpEndpoint: true,
      StorageEncrypted: true,
      ServerlessV2ScalingConfiguration: { MinCapacity: 0 },
    });
    // No function joins a VPC: the Data API is HTTPS.
    for (const fn of Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function')) expect(fn.Properties.VpcConfig).toBeUndefined();
    const withSearch = Object.entries(resources)
      .filter(
        ([, r]) =>
          r.Type === 'AWS::Lambda::Function' &&
          (r.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.SEARCH_CLUSTER_ARN,
      )
      .map(([, r]) => String(r.Properties.Description));
    expect(withSearch.sort()).toEqual(
      [
        ...operations.filter((op) => op.searches).map((op) => `${op.method} ${op.path} (${op.family}, ${op.access})`),
        'Keeps the customers’ search projection (PostgreSQL) to what the table holds',
        'Relays an import’s rows’ events at a bounded pace: to the bus and the webhooks when its job asked, else to the search projection',
        "Writes one part of an export's customers into gzip files",
      ].sort(),
    );
    const dataApi = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties).includes('rds-data:ExecuteStatement'));
    expect(dataApi.map((p) => JSON.stringify(p.Properties.Roles)).sort()).toHaveLength(4);
  });
});
