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
import { useLocalImports } from './imports-local.ts';
import { answerOf, operationEvent } from '../../functions/http/internal-call.ts';

// In-process calls search the projection in PGlite, in memory, opened when first searched (a test may hand in its own).
useLocalSearchEngine();
// And run the import jobs they start in this process (importsSettled waits for them).
useLocalImports();

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

/** An API Gateway v2 event with the authorizer's context, as API Gateway hands it to a function. */
export const apiEvent = (operation: Operation, options: CallOptions = {}, context = givenContext(options)): Event => {
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const query = options.query === undefined ? undefined : Array.isArray(options.query) ? options.query : Object.entries(options.query);
  return operationEvent(operation, context, {
    ...(body === undefined ? {} : { body }),
    ...(options.params ? { params: options.params } : {}),
    ...(query ? { query } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    host: 'api.test',
    sourceIp: '203.0.113.1',
    userAgent: 'vitest',
  });
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
  return answerOf(await handler(event, lambdaContext(operation.name))) as CallResult;
};

export const uniqueTenant = (): string => `t-${randomUUID().slice(0, 8)}`;
