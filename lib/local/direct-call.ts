/**
 * Calls a handler in-process as API Gateway would (an HTTP API v2 event with the authorizer's
 * context): the tests' and the bench's way to run the real handlers with their real middleware.
 * A call carries full access by default (what a tenant that set up no access gets); `decide: true`
 * has the authorizer's own code decide the caller's access from the tenant's teams and roles, as
 * every deployed and local request does.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Operation } from '../../functions/http/operation.ts';
import type { AuthorizerContext, Event } from '../../functions/http/kernel.ts';
import { FULL_ACCESS, type AccessDecision } from '../../functions/domain/access.ts';
import { contextOf } from '../../functions/auth/authorizer-context.ts';
import type { RateLimits } from '../../functions/storage/access/access-config.ts';
import { lambdaContext as localContext } from './functions.ts';
import { useLocalSearchEngine } from './search-engine.ts';

// In-process calls search the projection in PGlite, in memory, opened when first searched (a test may hand in its own).
useLocalSearchEngine();

export interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string> | readonly (readonly [string, string])[];
  headers?: Record<string, string>;
  body?: unknown;
  /** Raw body text, sent as is (for malformed-JSON tests). */
  rawBody?: string;
  tenant?: string;
  sub?: string;
  /** The token's claims, in place of `sub`, `tenant` and every scope. */
  claims?: Record<string, string | string[]>;
  /** The caller's access: full by default; `decide: true` has the authorizer decide it. */
  access?: AccessDecision;
  decide?: boolean;
  /** Rate limits to apply (http/rate-limiter.ts); without them a call is not limited. */
  rateLimits?: RateLimits;
}

const ALL_SCOPES = 'rapport/read rapport/write rapport/admin';

const claimsOf = (options: CallOptions): Record<string, string | string[]> =>
  options.claims ?? { sub: options.sub ?? 'user-1', tenant: options.tenant ?? 'tenant-a', scope: ALL_SCOPES };

/** The authorizer context of a call: the claims, with full access (or the given decision) unless the authorizer is to decide. */
const givenContext = (options: CallOptions): AuthorizerContext => {
  const claims = claimsOf(options);
  const text = (name: string) => (typeof claims[name] === 'string' ? (claims[name] as string) : '');
  return {
    sub: text('sub'),
    tenant: text('tenant'),
    scope: claims.scope === undefined ? ALL_SCOPES : text('scope'),
    username: text('preferred_username'),
    name: text('name'),
    access: JSON.stringify(options.access ?? FULL_ACCESS(text('sub'))),
    rateLimits: options.rateLimits ? JSON.stringify(options.rateLimits) : '',
  };
};

/** The authorizer context the deployed authorizer would hand over for the call's claims. */
export const decidedContext = async (options: CallOptions): Promise<AuthorizerContext> => ({
  ...(await contextOf(claimsOf(options))),
  rateLimits: options.rateLimits ? JSON.stringify(options.rateLimits) : '',
});

/** Query parameters as API Gateway's v2 event gives them: a repeated one's values joined with commas. */
const queryParameters = (query: NonNullable<CallOptions['query']>): Record<string, string> => {
  if (!Array.isArray(query)) return query as Record<string, string>;
  const joined: Record<string, string> = {};
  for (const [name, value] of query) joined[name] = name in joined ? `${joined[name]},${value}` : value;
  return joined;
};

/** An API Gateway v2 event with the authorizer's context, as API Gateway hands it to a function. */
export const apiEvent = (operation: Operation, options: CallOptions = {}, context = givenContext(options)): Event => {
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => options.params?.[name] ?? 'missing');
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return {
    version: '2.0',
    routeKey: `${operation.method} ${operation.path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams((options.query ?? {}) as Record<string, string> | [string, string][]).toString(),
    headers: {
      host: 'api.test',
      'x-forwarded-proto': 'https',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.query ? { queryStringParameters: queryParameters(options.query) } : {}),
    ...(options.params ? { pathParameters: options.params } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'test',
      authorizer: { lambda: context },
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

type Handler = (event: Event, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface CallResult {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, typed as JSON.parse types it. */
  body: ReturnType<typeof JSON.parse>;
}

/** Invokes a real handler (with its real middleware) in-process and parses the JSON answer. */
export const call = async (handler: Handler, operation: Operation, options: CallOptions = {}): Promise<CallResult> => {
  const event = apiEvent(operation, options, options.decide ? await decidedContext(options) : givenContext(options));
  const result = await handler(event, lambdaContext(operation.name));
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  return { status: result.statusCode ?? 200, headers, body: result.body ? JSON.parse(result.body) : undefined };
};

export const uniqueTenant = (): string => `t-${randomUUID().slice(0, 8)}`;
