import type { Request, Response } from './kernel.ts';
import { mayReach } from './access.ts';
import { changeVersioned } from './versioned-change.ts';
import type { CustomerRecord } from '../storage/customers/customer-items.ts';
import { deleteCustomer, getCustomerState, retentionMs, type Deletion } from '../storage/customers/customer-lifecycle.ts';
import { movedPermanently } from './errors.ts';
import type { PendingEvent } from '../domain/event-envelope.ts';
import type { FieldsInForce } from '../domain/custom-values.ts';
import { readCustomerWithFields } from './custom-values.ts';

/**
 * The delete of a customer, in every family that deletes one (TMF629's DELETE in each generation,
 * the CRM's): through changeVersioned (404 unknown, 412 stale If-Match, retry on a concurrent
 * writer), the customer leaves every read and list of every family at once and stays restorable
 * for its window (storage/customers/customer-lifecycle.ts); `events` are the family's (numbered from the
 * customer's next sequence), `eventCount` of them. 204.
 */
export const deleteCustomerRequest = (
  request: Request,
  id: string,
  missing: () => Error,
  eventCount: number,
  events: (record: CustomerRecord, deletion: Deletion, fields: FieldsInForce) => PendingEvent[],
): Promise<Response> =>
  changeVersioned(request, {
    read: () => readCustomerWithFields(request, id, 'write'),
    missing,
    decide: (current) => ({ record: current, events: Array.from({ length: eventCount }, () => 'deleted') }),
    write: ({ current, next, context: fields }) => {
      const now = Date.now();
      const deletion = { deletedAt: new Date(now).toISOString(), deletedBy: request.caller.sub, purgeAt: new Date(now + retentionMs()).toISOString() };
      return deleteCustomer(current, next, deletion, events(current, deletion, fields));
    },
    respond: () => ({ status: 204 }),
  });

/**
 * What a read of a customer that is not live answers: a merged one points at its survivor (301,
 * `Location` from `locationOf`), anything else is `missing` (404).
 */
export const customerGone = async (request: Request, id: string, missing: () => Error, locationOf: (survivorId: string) => string): Promise<Error> => {
  const state = await getCustomerState(request.caller.tenantId, id);
  if (state?.state !== 'merged' || !mayReach(request, state.record, 'read')) return missing();
  return movedPermanently(locationOf(state.merger.mergedInto), `Customer '${id}' was merged into '${state.merger.mergedInto}'.`);
};
