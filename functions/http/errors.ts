import { InvalidCursor } from '../storage/table/list-cursor.ts';
import { ConcurrentChanges, CustomerNotLive, IdempotencyKeyReused, InvalidIdempotencyKey, LimitReached } from '../storage/table/errors.ts';
import { NotStorable } from '../storage/table/limits.ts';
import { FieldKeyTaken } from '../storage/fields/field-definitions.ts';
import { UniqueValueTaken } from '../storage/customers/unique-values.ts';
import { ChildExternalIdTaken } from '../storage/customers/customer-children.ts';

/** An error that is the caller's to fix (or a state the caller must know of): it becomes a 4xx/5xx response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string): HttpError => new HttpError(400, 'BAD_REQUEST', message);
export const unauthorized = (message: string): HttpError => new HttpError(401, 'UNAUTHORIZED', message);
export const forbidden = (message: string): HttpError => new HttpError(403, 'FORBIDDEN', message);
export const notFound = (message: string): HttpError => new HttpError(404, 'NOT_FOUND', message);
/** 301 with `Location`: the resource lives elsewhere now (a merged customer: its survivor). */
export const movedPermanently = (location: string, message: string): HttpError => new HttpError(301, 'MOVED_PERMANENTLY', message, { location });

export const conflict = (message: string): HttpError => new HttpError(409, 'CONFLICT', message);
export const preconditionFailed = (message: string): HttpError => new HttpError(412, 'PRECONDITION_FAILED', message);
export const payloadTooLarge = (message: string): HttpError => new HttpError(413, 'PAYLOAD_TOO_LARGE', message);
export const unsupportedMediaType = (message: string): HttpError => new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', message);
export const unprocessable = (message: string): HttpError => new HttpError(422, 'UNPROCESSABLE_ENTITY', message);
/** 429 with `Retry-After`: the tenant's or the caller's rate limit is spent for this window. */
export const tooManyRequests = (message: string, retryAfterSeconds: number, headers: Record<string, string> = {}): HttpError =>
  new HttpError(429, 'TOO_MANY_REQUESTS', message, { ...headers, 'retry-after': String(retryAfterSeconds) });
export const serviceUnavailable = (message: string): HttpError => new HttpError(503, 'SERVICE_UNAVAILABLE', message, { 'retry-after': '1' });

/** Standard reason phrases, used in error bodies. */
export const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  301: 'Moved Permanently',
  308: 'Permanent Redirect',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Names the AWS SDK gives to errors that mean "slow down and try again". */
const RETRYABLE_AWS_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'TransactionInProgressException',
  'LimitExceededException',
]);

/** Maps anything thrown to an HttpError: the one place where failures get their status. */
export const toHttpError = (error: unknown): HttpError => {
  if (error instanceof HttpError) return error;
  // Storage's own refusals.
  if (error instanceof InvalidCursor) return badRequest(`cursor: ${error.message}.`);
  if (error instanceof InvalidIdempotencyKey) return badRequest(error.message);
  if (error instanceof IdempotencyKeyReused || error instanceof LimitReached) return unprocessable(error.message);
  if (error instanceof ConcurrentChanges) return serviceUnavailable(error.message);
  if (error instanceof CustomerNotLive) return notFound(error.message);
  if (error instanceof FieldKeyTaken || error instanceof UniqueValueTaken || error instanceof ChildExternalIdTaken) return conflict(error.message);
  if (error instanceof NotStorable) return error.tooLarge ? payloadTooLarge(error.message) : badRequest(error.message);
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : '';
  if (RETRYABLE_AWS_ERRORS.has(name)) return serviceUnavailable('The service is busy; retry the request shortly.');
  // The search database (Aurora Serverless v2) pauses when idle; the first statement after waits about 15 s for it.
  if (name === 'DatabaseResumingException')
    return new HttpError(503, 'SERVICE_UNAVAILABLE', 'Search is resuming after a pause; retry in about 15 seconds.', { 'retry-after': '15' });
  if (name === 'TransactionCanceledException' && /ThrottlingError|TransactionConflict/.test(message)) {
    return serviceUnavailable('The service is busy; retry the request shortly.');
  }
  if (name === 'ValidationException' && /item size|Item size/.test(message)) {
    return payloadTooLarge('The resource is larger than a stored item may be (400 KB).');
  }
  return new HttpError(500, 'INTERNAL_ERROR', 'An unexpected error occurred.');
};
