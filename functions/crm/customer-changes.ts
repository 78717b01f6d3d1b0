import type { Request, Response } from '../http/kernel.ts';
import { notFound } from '../http/errors.ts';
import { etag } from '../http/preconditions.ts';
import { changeVersioned, loaded } from '../http/versioned-change.ts';
import { getCustomer, replaceCustomer } from '../storage/customers.ts';
import type { CustomerRecord } from '../storage/customer-items.ts';
import { crmEvent, type CrmEventType } from './crm-events.ts';
import { toCrmCustomer } from './customer-view.ts';

export interface CustomerChange {
  /** The customer after the change (changeVersioned fills in the bookkeeping). */
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

/** Reads one customer of the caller's tenant for a change (undefined for an unknown id, also another tenant's). */
export const readCustomer = async (request: Request, id: string) => loaded(await getCustomer(request.caller.tenantId, id));

/**
 * Every CRM change of a customer's profile, owner, status or next action (changeVersioned: 404,
 * If-Match, retry on a concurrent writer): `decide` works out the new state and its events, and
 * both are written in one transaction conditional on the version read.
 */
export const changeCustomer = (request: Request, id: string, decide: (current: CustomerRecord) => CustomerChange): Promise<Response> =>
  changeVersioned(request, {
    read: () => readCustomer(request, id),
    missing: () => customerNotFound(id),
    decide: (current) => {
      const change = decide(current);
      return { ...change, record: { ...change.record, id: current.id, tenantId: current.tenantId } };
    },
    write: ({ current, next, events }) => {
      const customer = toCrmCustomer(next);
      return replaceCustomer(
        current,
        next,
        events.map((e, i) => crmEvent(request, e.type, { type: 'Customer', id }, current.sequence + i + 1, { customer, ...e.data }, e.description)),
      );
    },
    respond: (record) => customerResponse(record),
  });
