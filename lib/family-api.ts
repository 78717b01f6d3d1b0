import { NestedStack, RemovalPolicy } from 'aws-cdk-lib';
import { HttpMethod, HttpRoute, HttpRouteKey, type IHttpApi, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { pathsOf, writes, type Family, type Operation } from '../functions/http/operation.ts';
import { functionId, rapportFunction, type FunctionCommon } from './function.ts';
import { pascalCase } from './names.ts';
import { SIZING } from './sizing.ts';

export interface FamilyApiProps {
  family: Family;
  operations: readonly Operation[];
  api: IHttpApi;
  authorizer: IHttpRouteAuthorizer;
  /**
   * One role per access level, made by the root stack: a read operation's function cannot write;
   * and one for the write operations that seal secrets (catalog `sealsSecrets`): only they may have
   * KMS make data keys; one for the operations that search (catalog `searches`): only they reach the search database;
   * and one for those that reach the files bucket and start imports (catalog `files`).
   */
  roles: Record<'read' | 'write' | 'sealsSecrets' | 'search' | 'files' | 'filesRead', iam.IRole>;
  /** What a search operation's function is told of the search database (lib/search-database.ts). */
  searchEnvironment: Record<string, string>;
  /** What a files operation's function is told: the files bucket and the import state machine (lib/imports.ts). */
  filesEnvironment: Record<string, string>;
  retention: logs.RetentionDays;
  common: FunctionCommon;
  /** The key list cursors are signed with (functions/storage/table/list-cursor.ts), handed to every API function. */
  cursorSecret: secretsmanager.ISecret;
}

/**
 * One family's operations in a nested stack of their own: per operation its function, its
 * integration, its route and the permission for API Gateway to invoke it (four resources), plus the
 * family's log group. The API, its authorizer, the roles and the table stay in the root stack, so
 * the root's size does not grow with operations and each family has CloudFormation's 500 resources
 * to itself (about 120 operations).
 */
export class FamilyApi extends NestedStack {
  readonly functions: lambda.IFunction[];

  constructor(scope: Construct, id: string, props: FamilyApiProps) {
    super(scope, id, { description: `Rapport ${props.family} API: ${props.operations.length} operations` });
    const logGroup = new logs.LogGroup(this, `${pascalCase(props.family)}ApiLogs`, { retention: props.retention, removalPolicy: RemovalPolicy.DESTROY });
    this.functions = props.operations.map((op) => {
      const fn = rapportFunction(this, functionId(op.name), {
        entry: op.handler,
        role: props.roles[
          op.sealsSecrets ? 'sealsSecrets' : op.searches ? 'search' : op.files ? (writes(op) ? 'files' : 'filesRead') : writes(op) ? 'write' : 'read'
        ],
        logGroup,
        service: op.family,
        common: props.common,
        description: `${op.method} ${op.path} (${op.family}, ${op.access})`,
        environment: {
          CURSOR_SECRET: props.cursorSecret.secretValue.unsafeUnwrap(),
          ...(op.searches ? props.searchEnvironment : {}),
          ...(op.files ? props.filesEnvironment : {}),
        },
        ...(writes(op) ? SIZING.apiWrite : SIZING.apiRead),
      });
      const integration = new HttpLambdaIntegration(`${pascalCase(op.name)}Integration`, fn);
      pathsOf(op).forEach((path, i) => {
        new HttpRoute(this, `${pascalCase(op.name)}Route${i === 0 ? '' : i + 1}`, {
          httpApi: props.api,
          routeKey: HttpRouteKey.with(path, HttpMethod[op.method]),
          integration,
          // The API's Lambda authorizer (scopes are JWT authorizers' only: the function's kernel checks its operation's scope).
          authorizer: props.authorizer,
        });
      });
      return fn;
    });
  }
}
