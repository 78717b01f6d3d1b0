/**
 * What storage refuses, in storage's own words. The kernel maps each to its HTTP status and the
 * family's error body (`toHttpError` in functions/http/errors.ts); storage knows nothing of HTTP.
 */

/** A read-modify-write lost to concurrent writers more often than it retries: the caller may try again (503). */
export class ConcurrentChanges extends Error {
  constructor() {
    super('The resource is being changed concurrently; retry the request.');
    this.name = 'ConcurrentChanges';
  }
}

/** An Idempotency-Key already used with another request body (422). */
export class IdempotencyKeyReused extends Error {
  constructor(key: string) {
    super(`Idempotency-Key '${key}' was already used with a different request body.`);
    this.name = 'IdempotencyKeyReused';
  }
}

/** An Idempotency-Key that cannot be one (400). */
export class InvalidIdempotencyKey extends Error {
  constructor() {
    super('Idempotency-Key must be 1 to 255 characters.');
    this.name = 'InvalidIdempotencyKey';
  }
}

/** A bounded collection is full (422): the caller must remove something first. */
export class LimitReached extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitReached';
  }
}

/** The customer a write belongs to is not live (never was, deleted or erased) (404): nothing of it may change. */
export class CustomerNotLive extends Error {
  constructor(readonly customerId: string) {
    super(`Customer '${customerId}' does not exist.`);
    this.name = 'CustomerNotLive';
  }
}
