import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Operation } from './operation.ts';
import { HttpError, badRequest, forbidden, payloadTooLarge, toHttpError, unauthorized, unsupportedMediaType } from './errors.ts';
import { renderError } from './error-bodies.ts';
import { parseWith } from './validation.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

export const logger = new Logger({ serviceName: 'rapport' });

/** Who is calling, from the verified token's claims. */
export interface Caller {
  sub: string;
  tenantId: string;
  scopes: string[];
}

/** What a handler receives: validated, normalised, with the caller resolved. */
export interface Request<Body = unknown> {
  operation: Operation;
  body: Body;
  /** Media type of the body without parameters (`application/json`), or undefined without a body. */
  contentType: string | undefined;
  query: Record<string, string>;
  params: Record<string, string>;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  caller: Caller;
  correlationId: string;
  /** Scheme and host the caller used, for `href`s and `Location`. */
  baseUrl: string;
}

export interface Response {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
export type Result = APIGatewayProxyStructuredResultV2;

const TENANT_CLAIM = process.env.TENANT_CLAIM ?? 'tenant';

const lowerCaseHeaders = (headers: Event['headers'] | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
};

const callerFrom = (event: Event): Caller => {
  const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub === '') throw unauthorized('The token carries no subject.');
  const tenant = claims[TENANT_CLAIM];
  if (typeof tenant !== 'string' || tenant === '') throw forbidden(`The token carries no '${TENANT_CLAIM}' claim.`);
  const scopes = event.requestContext.authorizer?.jwt?.scopes ?? String(claims.scope ?? '').split(' ').filter(Boolean);
  return { sub, tenantId: tenant, scopes };
};

const readBody = (operation: Operation, event: Event, headers: Record<string, string>) => {
  const accepted = operation.request?.body;
  const raw = event.body === undefined || event.body === null ? undefined : event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (!accepted) return { body: undefined, contentType: undefined };
  if (raw === undefined || raw.length === 0) throw badRequest('A request body is required.');
  if (raw.length > MAX_BODY_BYTES) throw payloadTooLarge(`The request body is ${raw.length} bytes; at most ${MAX_BODY_BYTES} are accepted.`);
  const contentType = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const schema = accepted[contentType];
  if (!schema) {
    throw unsupportedMediaType(`Content-Type '${contentType || '(none)'}' is not accepted here; use ${Object.keys(accepted).join(', ')}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw badRequest(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  return { body: parseWith(schema, json, 'request body'), contentType };
};

const jsonResult = (status: number, body: unknown, headers: Record<string, string>): Result => ({
  statusCode: status,
  headers: body === undefined ? headers : { 'content-type': 'application/json;charset=utf-8', ...headers },
  body: body === undefined ? '' : JSON.stringify(body),
});

/**
 * Wraps an operation's implementation in the family's middleware stack: header normalisation,
 * body checks (415, 413, 400), zod validation, the caller from the authorizer claims, correlation
 * ids in the logs, and every error rendered in the family's error body.
 */
export const defineHandler = <Body>(operation: Operation, implementation: (request: Request<Body>) => Promise<Response>) => {
  const run = async (event: Event): Promise<Result> => {
    const headers = lowerCaseHeaders(event.headers);
    const correlationId = headers['x-correlation-id'] ?? event.requestContext.requestId;
    logger.setCorrelationId(correlationId);
    logger.appendKeys({ operation: operation.name, requestId: event.requestContext.requestId });
    const respond = (status: number, body: unknown, extra: Record<string, string>) =>
      jsonResult(status, body, { 'x-correlation-id': correlationId, ...extra });
    try {
      const caller = callerFrom(event);
      logger.appendKeys({ tenantId: caller.tenantId, sub: caller.sub });
      const { body, contentType } = readBody(operation, event, headers);
      const query: Record<string, string> = {};
      for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (v !== undefined) query[k] = v;
      if (operation.request?.query) parseWith(operation.request.query, query, 'query');
      const proto = headers['x-forwarded-proto'] ?? 'https';
      const response = await implementation({
        operation,
        body: body as Body,
        contentType,
        query,
        params: Object.fromEntries(Object.entries(event.pathParameters ?? {}).map(([k, v]) => [k, v ?? ''])),
        headers,
        caller,
        correlationId,
        baseUrl: `${proto}://${event.requestContext.domainName}`,
      });
      return respond(response.status, response.body, response.headers ?? {});
    } catch (error) {
      const httpError = toHttpError(error);
      if (httpError.status >= 500) logger.error('request failed', { error: error as Error });
      else logger.info('request rejected', { status: httpError.status, reason: httpError.message });
      return respond(httpError.status, renderError(operation.family, httpError), httpError.headers);
    } finally {
      logger.resetKeys();
    }
  };
  return middy<Event, Result, Error, Context>().use(injectLambdaContext(logger)).handler(run);
};

export { HttpError };
