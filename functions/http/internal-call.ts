/**
 * An operation called from inside Rapport, through its real handler and middleware, as a caller
 * whose request was authorized before: a bulk import writes each row as that row's API request
 * would (the same checks, access rules, custom field validation, events, error bodies), as the job's
 * creator. The event is the one API Gateway would hand the function, with the creator's authorizer
 * context and no rate limits (the job paces itself).
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { AuthorizerContext, Caller, Event } from './kernel.ts';
import type { Operation } from './operation.ts';

export type OperationHandler = (event: Event, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** The authorizer context that stands for a caller (what the authorizer handed their request), without rate limits. */
export const actorOf = (caller: Caller): AuthorizerContext => ({
  sub: caller.sub,
  tenant: caller.tenantId,
  scope: caller.scopes.join(' '),
  username: caller.username ?? '',
  name: caller.displayName ?? '',
  access: JSON.stringify(caller.access),
  rateLimits: '',
});

export interface InternalCall {
  body?: unknown;
  params?: Record<string, string>;
  headers?: Record<string, string>;
  /** The correlation id the call's logs and events carry (the job's). */
  correlationId: string;
}

/** What an event carries beside the operation and the authorizer's context. */
export interface EventParts {
  /** Body text, sent as is. */
  body?: string;
  params?: Record<string, string>;
  /** Every query parameter as sent (repeated ones too); the event's record joins a repeated one's values with commas, as API Gateway does. */
  query?: readonly (readonly [string, string])[];
  headers?: Record<string, string>;
  /** The host the caller used (`domainName`), and what the request context says of the caller. */
  host: string;
  sourceIp: string;
  userAgent: string;
}

/** An API Gateway (HTTP API, payload 2.0) event for an operation, as API Gateway hands it to the operation's function. */
export const operationEvent = (operation: Operation, actor: AuthorizerContext, parts: EventParts): Event => {
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => parts.params?.[name] ?? 'missing');
  const joined: Record<string, string> = {};
  for (const [name, value] of parts.query ?? []) joined[name] = name in joined ? `${joined[name]},${value}` : value;
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: `${operation.method} ${operation.path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(parts.query as [string, string][] | undefined).toString(),
    headers: {
      host: parts.host,
      'x-forwarded-proto': 'https',
      ...(parts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...parts.headers,
    },
    ...(parts.query ? { queryStringParameters: joined } : {}),
    ...(parts.params ? { pathParameters: parts.params } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'internal',
      authorizer: { lambda: actor },
      domainName: parts.host,
      domainPrefix: parts.host.split('.')[0]!,
      http: { method: operation.method, path, protocol: 'HTTP/1.1', sourceIp: parts.sourceIp, userAgent: parts.userAgent },
      requestId: randomUUID(),
      routeKey: `${operation.method} ${operation.path}`,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    ...(parts.body !== undefined ? { body: parts.body } : {}),
    isBase64Encoded: false,
  };
};

/** A function's answer as a caller reads it: its status, its headers by lower-case name, its JSON body parsed (another media type's as its text). */
export const answerOf = (result: APIGatewayProxyStructuredResultV2): { status: number; body: unknown; headers: Record<string, string> } => {
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const json = !headers['content-type'] || /json/.test(headers['content-type']);
  return { status: result.statusCode ?? 200, headers, body: result.body ? (json ? JSON.parse(result.body) : result.body) : undefined };
};

/** Calls an operation as `actor`; its status and parsed JSON body. */
export const callOperation = async (
  handler: OperationHandler,
  operation: Operation,
  actor: AuthorizerContext,
  call: InternalCall,
  context: Context,
): Promise<{ status: number; body: unknown; headers: Record<string, string> }> => {
  const event = operationEvent(operation, actor, {
    ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    ...(call.params ? { params: call.params } : {}),
    headers: { 'x-correlation-id': call.correlationId, ...call.headers },
    host: 'internal',
    sourceIp: '127.0.0.1',
    userAgent: 'rapport-internal',
  });
  return answerOf(await handler(event, context));
};
