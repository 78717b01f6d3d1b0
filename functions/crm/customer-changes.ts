import type { Request, Response } from '../http/kernel.ts';
import { notFound } from '../http/errors.ts';
import { checkIfMatch, etag } from '../http/preconditions.ts';
import { getCustomer, replaceCustomer } from '../storage/customers.ts';
import type { CustomerRecord } from '../storage/customer-items.ts';
import { withOptimisticRetry } from '../storage/optimistic.ts';
import { crmEvent, type CrmEventType } from './crm-events.ts';
import { toCrmCustomer } from './customer-view.ts';

export interface CustomerChange {
  /** The customer after the change (bookkeeping is filled in here). */
  record: CustomerRecord;
  /** What happened, in order; an empty list means nothing changed. */
  events: { type: CrmEventType; description: string; data?: Record<string, unknown> }[];
}

export const customerNotFound = (id: string) => notFound(`Customer '${id}' does not exist.`);

/** 200 with the customer as the seed shows it, and its ETag. */
export const customerResponse = (record: CustomerRecord, status = 200): Response => ({
  status,
  body: toCrmCustomer(record),
  headers: { etag: etag(record.version) },
});

/**
 * Every CRM change of a customer: read it (404 for an unknown id, also another tenant's), honour
 * If-Match (412), let `decide` work out the new state and its events, and write both in one
 * transaction conditional on the version read. A concurrent writer makes it re-read and decide
 * again, so no change is lost; a decision with no events writes nothing.
 */
export const changeCustomer = async (request: Request<unknown>, id: string, decide: (current: CustomerRecord) => CustomerChange): Promise<Response> => {
  return withOptimisticRetry(async () => {
    const current = await getCustomer(request.caller.tenantId, id);
    if (!current) throw customerNotFound(id);
    checkIfMatch(request.headers, current.version);
    const change = decide(current);
    if (change.events.length === 0) return customerResponse(current);
    const next: CustomerRecord = {
      ...change.record,
      id: current.id,
      tenantId: current.tenantId,
      createdAt: current.createdAt,
      createdBy: current.createdBy,
      version: current.version + 1,
      sequence: current.sequence + change.events.length,
      updatedAt: new Date().toISOString(),
      updatedBy: request.caller.sub,
    };
    const customer = toCrmCustomer(next);
    const events = change.events.map((e, i) =>
      crmEvent(request, e.type, { type: 'Customer', id }, current.sequence + i + 1, { customer, ...e.data }, e.description),
    );
    await replaceCustomer(current, next, events);
    return customerResponse(next);
  });
};
