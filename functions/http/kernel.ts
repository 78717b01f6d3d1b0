import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2WithLambdaAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { NO_QUERY, scopesFor, writes, type BodyOf, type Family, type Operation, type ParamsOf, type QueryOf } from './operation.ts';
import { badRequest, forbidden, notFound, payloadTooLarge, toHttpError, tooManyRequests, unauthorized, unsupportedMediaType } from './errors.ts';
import { limiter, rateLimitHeaders } from './rate-limiter.ts';
import { BusinessMetric } from '../business-metrics.ts';
import { renderError } from './error-bodies.ts';
import { parseWith, QUERY } from './validation.ts';
import { count, instrumentation, logger } from '../observability.ts';
import { createOnce, type StoredResponse } from '../storage/idempotency.ts';
import type { TransactItem } from '../storage/table/transactions.ts';
import type { FieldsInForce } from '../domain/custom-values.ts';
import type { ChangeContext } from '../events/tmf-customer-events.ts';
import { fitsKeyPart, isKeyPart, MAX_KEY_PART_BYTES, unstorableValue } from '../storage/table/limits.ts';
import { rememberUser } from '../storage/users.ts';
import { seesEveryField, type AccessDecision } from '../domain/access.ts';
import { IMPORT_CORRELATION_PREFIX } from '../domain/event-envelope.ts';
import type { RateLimits } from '../storage/access/access-config.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

/** Who is calling, from the verified token's claims. */
export interface Caller {
  sub: string;
  tenantId: string;
  scopes: string[];
  /** `preferred_username` and `name` claims, when the token carries them. */
  username?: string;
  displayName?: string;
  /** What the caller may see and change, as the authorizer decided it (domain/access.ts). */
  access: AccessDecision;
  /** The tenant's rate limits, from its access settings (none for an in-process call: not limited). */
  rateLimits?: RateLimits;
  /** The import job whose row this call writes (an import's own call, never a caller's request): it counts the customers it creates itself, summed once a chunk. */
  importJob?: string;
}

/**
 * What the API's authorizer (functions/auth/authorize.ts) hands every function in
 * `requestContext.authorizer.lambda`: the token's claims the kernel reads and the caller's access
 * decision, strings only.
 */
export interface AuthorizerContext {
  sub: string;
  tenant: string;
  scope: string;
  username: string;
  name: string;
  /** The AccessDecision, JSON. */
  access: string;
  /** The tenant's RateLimits, JSON. */
  rateLimits: string;
  /**
   * Set only by Rapport itself, never by the authorizer: the import job whose row this call writes
   * (functions/imports/process-chunk.ts). Its changes are correlated `import-<job>`, which routes
   * their events through the import's relay (README, "Bulk import", Events) — a caller's own
   * `X-Correlation-Id` cannot claim that prefix.
   */
  importJob?: string;
}

/**
 * What a handler receives: validated, normalised, with the caller resolved. A handler's request is
 * `OperationRequest<its operation>`: body, query and path parameters typed from the catalog entry;
 * shared helpers take the loose `Request`.
 */
export interface Request<Body = unknown, Query = Record<string, string | undefined>, Params = Record<string, string>> {
  operation: Operation;
  body: Body;
  /** Media type of the body without parameters (`application/json`), or undefined without a body. */
  contentType: string | undefined;
  /** The query parameters, as the operation's query schema parsed them. */
  query: Query;
  params: Params;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  caller: Caller;
  correlationId: string;
  /** Scheme and host the caller used, for `href`s and `Location`. */
  baseUrl: string;
  /** The path the caller asked for (one of the operation's paths, filled in). */
  path: string;
  /** The query string as sent (API Gateway's `query` joins a repeated parameter's values with commas; this keeps each). */
  rawQuery: string;
  /**
   * What an idempotent operation (catalog `idempotent: true`) writes in its change's own
   * transaction to take the caller's `Idempotency-Key` with the response it answers; nothing
   * without the header, or for any other operation.
   */
  idempotency: (response: Response, ownerCustomerId?: string) => TransactItem[];
}

export type OperationRequest<O extends Operation> = Request<BodyOf<O>, QueryOf<O>, ParamsOf<O>>;

/** Who made a change, for the events it yields (events/tmf-customer-events.ts). */
export const changeContext = (request: Request<unknown>, fields: FieldsInForce): ChangeContext => ({
  tenantId: request.caller.tenantId,
  actor: request.caller.sub,
  correlationId: request.correlationId,
  baseUrl: request.baseUrl,
  fields,
});

export interface Response {
  status: number;
  body?: unknown;
  /** A body already rendered in the media type its `content-type` header names (a CSV page, say): sent as it is, in place of `body`. */
  text?: string;
  headers?: Record<string, string>;
}

export type Event = APIGatewayProxyEventV2WithLambdaAuthorizer<AuthorizerContext>;
export type Result = APIGatewayProxyStructuredResultV2;

/** The API Gateway event as the middlewares below leave it: each adds what it establishes. */
type KernelEvent = Event & { kernel?: Partial<Request> & { responseHeaders?: Record<string, string> } };
type Middleware = MiddlewareObj<KernelEvent, Result, Error, Context>;

const TENANT_CLAIM = process.env.TENANT_CLAIM ?? 'tenant';

const jsonResult = (status: number, body: unknown, headers: Record<string, string>): Result => ({
  statusCode: status,
  headers: body === undefined ? headers : { 'content-type': 'application/json;charset=utf-8', ...headers },
  body: body === undefined ? '' : JSON.stringify(body),
});

/** Header names lower-cased; query and path parameters as plain records; the caller's base URL. */
const normaliseRequest = (operation: Operation): Middleware => ({
  before: ({ event }) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
    const query: Record<string, string> = {};
    for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) if (value !== undefined) query[name] = value;
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(event.pathParameters ?? {})) {
      if (value === undefined || !operation.path.includes(`{${name}}`)) continue;
      // A value no key can hold names nothing that exists: an id (which storage puts in keys) must be a key part, any other at most as long.
      const storable = /id$/i.test(name) ? isKeyPart(value) : fitsKeyPart(value);
      if (!storable) throw notFound(`No resource has this ${name}: at most ${MAX_KEY_PART_BYTES} bytes, without '#' or control characters, can be one.`);
      params[name] = value;
    }
    const baseUrl = `${headers['x-forwarded-proto'] ?? 'https'}://${event.requestContext.domainName}`;
    event.kernel = { ...event.kernel, operation, headers, query, params, baseUrl, path: event.rawPath, rawQuery: event.rawQueryString ?? '' };
  },
});

/**
 * Correlation id from `X-Correlation-Id` or the request id: in every log line and echoed in the
 * response, with the header fields every answer carries (the rate limits').
 */
const correlationIds = (operation: Operation): Middleware => {
  const echo: Middleware['after'] = ({ event, response }) => {
    if (response && event.kernel?.correlationId)
      response.headers = { ...event.kernel.responseHeaders, ...response.headers, 'x-correlation-id': event.kernel.correlationId };
  };
  return {
    before: ({ event }) => {
      const header = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'x-correlation-id')?.[1];
      const importJob = event.requestContext.authorizer?.lambda?.importJob;
      // Only an import's own calls are correlated as an import's: a caller's header claiming it is not taken.
      const correlationId = importJob
        ? `${IMPORT_CORRELATION_PREFIX}${importJob}`
        : header && !header.startsWith(IMPORT_CORRELATION_PREFIX)
          ? header
          : event.requestContext.requestId;
      event.kernel = { ...event.kernel, correlationId };
      logger.setCorrelationId(correlationId);
      logger.appendKeys({ operation: operation.name, requestId: event.requestContext.requestId });
    },
    after: echo,
    onError: echo,
  };
};

/**
 * The caller from the authorizer's context: `sub` (401 without), the tenant (403 without), the
 * operation's scope (403 without: the kernel knows its operation, so the refusal is in the
 * family's body) and the access decision.
 */
const callerContext = (operation: Operation): Middleware => ({
  before: ({ event }) => {
    const context: Partial<AuthorizerContext> = event.requestContext.authorizer?.lambda ?? {};
    const sub = context.sub;
    if (typeof sub !== 'string' || sub === '') throw unauthorized('The token carries no subject.');
    if (!isKeyPart(sub)) throw unauthorized(`The token's subject is not one Rapport can store (at most ${MAX_KEY_PART_BYTES} bytes, no '#').`);
    const tenant = context.tenant;
    if (typeof tenant !== 'string' || tenant === '') throw forbidden(`The token carries no '${TENANT_CLAIM}' claim.`);
    if (!isKeyPart(tenant)) throw forbidden(`The token's '${TENANT_CLAIM}' claim is not one Rapport can store (at most ${MAX_KEY_PART_BYTES} bytes, no '#').`);
    const scopes = (context.scope ?? '').split(' ').filter(Boolean);
    const needed = scopesFor(operation.access);
    if (!needed.some((scope) => scopes.includes(scope))) throw forbidden(`This operation needs the scope ${needed.join(' or ')}.`);
    if (!context.access) throw forbidden('The request carries no access decision: it did not pass the authorizer.');
    const caller: Caller = {
      sub,
      tenantId: tenant,
      scopes,
      username: context.username || undefined,
      displayName: context.name || undefined,
      access: JSON.parse(context.access) as AccessDecision,
      ...(context.rateLimits ? { rateLimits: JSON.parse(context.rateLimits) as RateLimits } : {}),
      ...(context.importJob ? { importJob: context.importJob } : {}),
    };
    if (operation.wholeTenant && !(caller.access.read.tenant && seesEveryField(caller.access))) {
      count(BusinessMetric.AccessRefused);
      throw forbidden("This hands out the tenant's events as they are: it needs roles that read every customer and every field.");
    }
    event.kernel = { ...event.kernel, caller };
    logger.appendKeys({ tenantId: tenant, sub });
  },
});

/**
 * The tenant's and the caller's rate limits (http/rate-limiter.ts): 429 with `Retry-After` past
 * either, and the IETF `RateLimit-Policy` and `RateLimit` fields on every answer. A request the
 * authorizer gave no limits (an in-process call of the tests or the bench) is not limited.
 */
const rateLimited = (): Middleware => ({
  before: async ({ event }) => {
    const caller = event.kernel?.caller;
    if (!caller?.rateLimits) return;
    const states = await limiter.admit(caller.tenantId, caller.sub, caller.rateLimits);
    const headers = rateLimitHeaders(caller.rateLimits, states);
    event.kernel = { ...event.kernel, responseHeaders: { ...event.kernel?.responseHeaders, ...headers } };
    const refused = states.find((state) => !state.admitted);
    if (refused) {
      count(BusinessMetric.RateLimited);
      throw tooManyRequests(`The ${refused.policy}'s rate limit of ${refused.limit} requests a second is spent: retry after the second it is in.`, 1, headers);
    }
  },
});

/** Keys that name parts of JavaScript's object model; no Rapport resource has a field so named. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The first reserved key anywhere in a parsed body, refused like any unknown field (prototype pollution). */
const reservedKey = (value: unknown, path = 'body'): { path: string; key: string } | undefined => {
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (RESERVED_KEYS.has(key)) return { path, key };
    const found = reservedKey(child, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
};

/** The body: an accepted content type in UTF-8 (415), at most 1 MB (413), JSON (400), no reserved keys, storable, valid for its schema (400). */
const validatedBody = (operation: Operation): Middleware => ({
  before: ({ event }) => {
    const accepted = operation.request?.body;
    if (!accepted) return;
    const raw = event.body == null ? undefined : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
    if (raw === undefined || raw.length === 0) throw badRequest('A request body is required.');
    if (raw.length > MAX_BODY_BYTES) throw payloadTooLarge(`The request body is ${raw.length} bytes; at most ${MAX_BODY_BYTES} are accepted.`);
    const [mediaType, ...parameters] = (event.kernel?.headers?.['content-type'] ?? '').split(';');
    const contentType = mediaType!.trim().toLowerCase();
    const schema = accepted[contentType];
    if (!schema) throw unsupportedMediaType(`Content-Type '${contentType || '(none)'}' is not accepted here; use ${Object.keys(accepted).join(', ')}.`);
    const charset = parameters.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='));
    if (charset && !/^charset="?utf-?8"?$/.test(charset)) throw unsupportedMediaType(`Only UTF-8 JSON is accepted, not ${charset}.`);
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      throw badRequest(`The request body is not valid JSON: ${(error as Error).message}`);
    }
    // Depth first: it stops at 24 levels, so the walk for reserved keys never recurses deeper.
    const unstorable = unstorableValue(json);
    if (unstorable) throw badRequest(`Invalid request body: ${unstorable}.`);
    const reserved = reservedKey(json);
    if (reserved) throw badRequest(`Invalid request body: ${reserved.path} has unknown field '${reserved.key}'.`);
    event.kernel = { ...event.kernel, body: parseWith(schema, json, 'request body'), contentType };
  },
});

/** Every failure becomes a response in the family's error body, here and nowhere else. */
const errorResponses = (family: Family): Middleware => ({
  onError: (request) => {
    const error = toHttpError(request.error);
    if (error.status >= 500) logger.error('request failed', { error: request.error ?? undefined });
    else logger.info('request rejected', { status: error.status, reason: error.message });
    request.response = jsonResult(error.status, renderError(family, error), error.headers);
  },
});

/**
 * The caller of a write, remembered in the tenant's user directory from its token's name claims
 * (for the owner and actor names the CRM views show). Best effort: a failure is logged and never
 * fails the caller's change.
 */
const rememberCaller = (caller: Caller): Promise<void> =>
  rememberUser(caller.tenantId, { id: caller.sub, username: caller.username, displayName: caller.displayName }).catch((error: Error) =>
    logger.warn('could not update the user directory', { error }),
  );

/**
 * An idempotent operation runs once per `Idempotency-Key` (storage's `createOnce`): a replay
 * answers the first response, another body is 422, and the implementation gets
 * `request.idempotency` to write the key in its change's own transaction.
 */
const once = async <O extends Operation>(
  operation: O,
  request: OperationRequest<O>,
  implementation: (request: OperationRequest<O>) => Promise<Response>,
  replayed: HandlerOptions<O>['replayed'],
): Promise<Response> => {
  let answered: StoredResponse | undefined;
  const response = await createOnce(
    { headers: request.headers, tenantId: request.caller.tenantId, operation: `${operation.family}.${operation.name}`, body: request.body },
    async (guard) => (answered = stored(await implementation({ ...request, idempotency: (answer, owner) => guard(stored(answer), owner) }))),
  );
  return response === answered || !replayed ? response : replayed(response, request);
};

/** A response as the idempotency record keeps it (and replays it): headers always present. */
const stored = (response: Response): StoredResponse => ({ status: response.status, body: response.body, headers: response.headers ?? {} });

export interface HandlerOptions<O extends Operation> {
  /**
   * An idempotent operation's answer to a replay, from the response its record kept (by default
   * that response itself): create-webhook keeps its secret sealed there and opens it here.
   */
  replayed?: (response: Response, request: OperationRequest<O>) => Promise<Response>;
}

/**
 * An operation's handler: its implementation behind the family's middleware stack — request
 * normalisation, correlation ids, the caller from the authorizer claims, body checks and zod
 * validation, errors rendered in the family's error body — after the instrumentation every function
 * carries (logger with the Lambda context, metrics). The kernel also runs what belongs to every
 * operation of a kind: the parsed query, `Idempotency-Key` for idempotent ones, and the user
 * directory for writes.
 */
export const defineHandler = <const O extends Operation>(
  operation: O,
  implementation: (request: OperationRequest<O>) => Promise<Response>,
  options: HandlerOptions<O> = {},
) =>
  middy<KernelEvent, Result, Error, Context>()
    .use(instrumentation())
    .use(correlationIds(operation))
    .use(errorResponses(operation.family))
    .use(normaliseRequest(operation))
    .use(callerContext(operation))
    .use(rateLimited())
    .use(validatedBody(operation))
    .handler(async (event) => {
      const kernel = event.kernel as Request;
      // One rule for every operation, single resource or list: a query parameter its entry does not declare is a 400.
      const query = parseWith(operation.request?.query ?? NO_QUERY, kernel.query, 'query', QUERY);
      // The one place the request gets its operation's types: zod parsed body and query, and the
      // route (API Gateway, or the local gateway, matching the operation's path) supplied every param.
      const request = { ...kernel, query, idempotency: () => [] } as unknown as OperationRequest<O>;
      const remembered = writes(operation) ? rememberCaller(kernel.caller) : undefined;
      try {
        const response = operation.idempotent ? await once(operation, request, implementation, options.replayed) : await implementation(request);
        if (response.text !== undefined) return { statusCode: response.status, headers: response.headers ?? {}, body: response.text };
        return jsonResult(response.status, response.body, response.headers ?? {});
      } finally {
        await remembered;
      }
    }) as unknown as (event: Event, context: Context) => Promise<Result>;
