import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addRapport } from '../../lib/rapport-app.ts';
import { functionId } from '../../lib/rapport-stack.ts';
import { operations } from '../../functions/catalog.ts';
import { scopesFor } from '../../functions/http/operation.ts';
import { INDEXES } from '../../functions/storage/table-schema.ts';

/** An app as `bin/app.ts` builds it, with bundling skipped for speed. */
const synthesize = (context: Record<string, unknown> = {}) => {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'rapport-cdk-')), context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = addRapport(app);
  const assembly = app.synth();
  return { stack, assembly, template: Template.fromStack(stack) };
};

type Resource = { Type: string; Properties: Record<string, unknown> };

describe('the CDK stack', () => {
  let template: Template;
  let resources: Record<string, Resource>;
  beforeAll(() => {
    template = synthesize().template;
    resources = template.toJSON().Resources as Record<string, Resource>;
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

  it('wires every route to its own function with the scopes of its access level', () => {
    const routes = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    expect(routes).toHaveLength(operations.length);
    for (const op of operations) {
      const route = routes.find((r) => r.Properties.RouteKey === `${op.method} ${op.path}`);
      expect(route, `${op.method} ${op.path}`).toBeDefined();
      expect(route!.Properties.AuthorizationType).toBe('JWT');
      expect(route!.Properties.AuthorizationScopes).toEqual(scopesFor(op.access));
      const integrationId = (route!.Properties.Target as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1][1] as { Ref: string };
      const integration = resources[integrationId.Ref]!;
      const uri = JSON.stringify(integration.Properties.IntegrationUri);
      expect(uri).toContain(logicalIdOf(functionId(op.name)));
    }
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
      const writes = actions.filter((a) => /dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)/.test(a));
      if (op.access === 'read') {
        expect(actions, op.name).toContain('dynamodb:Query');
        expect(writes, op.name).toEqual([]);
      } else {
        expect(writes.length, op.name).toBeGreaterThan(0);
      }
    }
  });

  it('builds the table from the shared schema: keys, GSIs, stream, TTL, PITR', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: INDEXES.map((index) => Match.objectLike({ IndexName: index.name })),
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    });
  });

  it('makes deletion protection configurable', () => {
    const prod = synthesize({ stage: 'prod' }).template;
    prod.hasResourceProperties('AWS::DynamoDB::GlobalTable', { Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })] });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', { Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })] });
  });

  it('has a custom bus with an archive', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 365 });
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

  it('routes TMF events to the notifier with retries and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['rapport.tmf629'] },
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 }, DeadLetterConfig: Match.anyValue() })],
    });
  });

  it('runs the due sweep from EventBridge Scheduler: rate from context, scheduled time as input, retries, a DLQ, one at a time', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      Target: Match.objectLike({
        Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 900 },
        DeadLetterConfig: { Arn: Match.anyValue() },
      }),
    });
    const sweep = Object.entries(resources).find(([id, r]) => id.startsWith('DueSweepFunction') && r.Type === 'AWS::Lambda::Function')![1];
    expect(sweep.Properties.ReservedConcurrentExecutions).toBe(1);
    synthesize({ sweepEveryMinutes: 1 }).template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 minute)' });
  });

  it('logs API access, keeps logs for a bounded time, and throttles the stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: { ThrottlingBurstLimit: 1000, ThrottlingRateLimit: 500 },
    });
    for (const group of Object.values(resources).filter((r) => r.Type === 'AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBe(30);
  });

  it('creates a Cognito user pool when no issuer is given, and uses the given issuer otherwise', () => {
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
    const external = synthesize({ jwtIssuer: 'https://idp.example.com/', jwtAudience: 'rapport-api' }).template;
    external.resourceCountIs('AWS::Cognito::UserPool', 0);
    external.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { JwtConfiguration: { Issuer: 'https://idp.example.com/', Audience: ['rapport-api'] } });
  });

  it('leaves room for at least 60 operations under 400 resources', () => {
    const total = Object.keys(resources).length;
    const apiFunctionIds = new Set(operations.map((op) => logicalIdOf(functionId(op.name))!));
    const perApiFunction = (r: Resource) => apiFunctionIds.has(JSON.stringify(r.Properties.FunctionName ?? '').replace(/.*"Fn::GetAtt":\["([^"]+)".*/, '$1'));
    const operationResources = Object.entries(resources).filter(
      ([id, r]) => apiFunctionIds.has(id) || r.Type === 'AWS::ApiGatewayV2::Route' || r.Type === 'AWS::ApiGatewayV2::Integration' || (r.Type === 'AWS::Lambda::Permission' && perApiFunction(r)),
    ).length;
    const perOperation = operationResources / operations.length;
    expect(perOperation).toBe(4);
    expect(total - operationResources + 60 * perOperation).toBeLessThan(400);
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
