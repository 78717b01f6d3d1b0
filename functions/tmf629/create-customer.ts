import { defineHandler } from '../http/kernel.ts';
import { etag } from '../http/preconditions.ts';
import { newId } from '../storage/ids.ts';
import { insertCustomer, type CustomerRecord } from '../storage/customers.ts';
import { findReplay, hashRequest, putIdempotencyRecord, replayAfterRace, type IdempotencyKey } from '../storage/idempotency.ts';
import { ConditionFailed } from '../storage/transactions.ts';
import { badRequest } from '../http/errors.ts';
import { customerEvents } from './customer-events.ts';
import { toTmfCustomer } from './customer-view.ts';
import { tmf629 } from './operations.ts';
import type { CustomerCreate } from './schemas.ts';

/** POST /customer — 201 with Location = href; an Idempotency-Key replays the first response. */
export const handler = defineHandler<CustomerCreate>(tmf629.createCustomer, async (request) => {
  const { tenantId, sub } = request.caller;
  const keyHeader = request.headers['idempotency-key'];
  if (keyHeader !== undefined && (keyHeader.length === 0 || keyHeader.length > 255)) throw badRequest('Idempotency-Key must be 1 to 255 characters.');
  const idempotency: IdempotencyKey | undefined = keyHeader
    ? { tenantId, operation: 'tmf629.createCustomer', key: keyHeader, requestHash: hashRequest(request.body) }
    : undefined;
  if (idempotency) {
    const replay = await findReplay(idempotency);
    if (replay) return replay;
  }

  const now = new Date().toISOString();
  const record: CustomerRecord = {
    ...request.body,
    '@type': request.body['@type'] ?? 'Customer',
    id: newId(),
    tenantId,
    version: 1,
    sequence: 1,
    createdAt: now,
    createdBy: sub,
    updatedAt: now,
    updatedBy: sub,
  };
  const customer = toTmfCustomer(record, request.baseUrl);
  const response = { status: 201, body: customer, headers: { location: customer.href, etag: etag(record.version) } };
  try {
    await insertCustomer(record, customerEvents(['CustomerCreateEvent'], record, request, 0)[0]!, idempotency ? [putIdempotencyRecord(idempotency, response)] : []);
  } catch (error) {
    if (idempotency && error instanceof ConditionFailed && error.index === 2) return replayAfterRace(idempotency, error.item);
    throw error;
  }
  return response;
});
