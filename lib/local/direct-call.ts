/** Calls a handler in-process as API Gateway would (an HTTP API v2 event with JWT claims): the tests' and the bench's way to run the real handlers with their real middleware. */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Operation } from '../../functions/http/operation.ts';
import { lambdaContext as localContext } from './functions.ts';

export interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  /** Raw body text, sent as is (for malformed-JSON tests). */
  rawBody?: string;
  tenant?: string;
  sub?: string;
  claims?: Record<string, string>;
}

/** An API Gateway v2 event with JWT authorizer claims, as API Gateway hands it to a function. */
export const apiEvent = (operation: Operation, options: CallOptions = {}): APIGatewayProxyEventV2WithJWTAuthorizer => {
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => options.params?.[name] ?? 'missing');
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return {
    version: '2.0',
    routeKey: `${operation.method} ${operation.path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: {
      host: 'api.test',
      'x-forwarded-proto': 'https',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.params ? { pathParameters: options.params } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'test',
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: {
          claims: options.claims ?? { sub: options.sub ?? 'user-1', tenant: options.tenant ?? 'tenant-a', scope: 'rapport/read rapport/write rapport/admin' },
          scopes: ['rapport/read', 'rapport/write', 'rapport/admin'],
        },
      },
      domainName: 'api.test',
      domainPrefix: 'api',
      http: { method: operation.method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'vitest' },
      requestId: randomUUID(),
      routeKey: `${operation.method} ${operation.path}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
  };
};

/** The same Lambda context the local runtime gives its functions. */
export const lambdaContext = (name = 'test'): Context => localContext(name);

type Handler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface CallResult {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, typed as JSON.parse types it. */
  body: ReturnType<typeof JSON.parse>;
}

/** Invokes a real handler (with its real middleware) in-process and parses the JSON answer. */
export const call = async (handler: Handler, operation: Operation, options: CallOptions = {}): Promise<CallResult> => {
  const result = await handler(apiEvent(operation, options), lambdaContext(operation.name));
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  return { status: result.statusCode ?? 200, headers, body: result.body ? JSON.parse(result.body) : undefined };
};

export const uniqueTenant = (): string => `t-${randomUUID().slice(0, 8)}`;
