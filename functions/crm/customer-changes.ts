import { changeContext, type Request, type Response } from '../http/kernel.ts';
import { guardedChange, shownToCaller } from '../http/access.ts';
import { tmfChangeTypes, tmfCustomerEvents, type TmfEventType } from '../events/tmf-customer-events.ts';
import { tmfAttributesWithCustomValues, type FieldsInForce } from '../domain/custom-values.ts';
import { readCustomerWithFields } from '../http/custom-values.ts';
import { notFound } from '../http/errors.ts';
import { etag } from '../http/preconditions.ts';
import { changeVersioned } from '../http/versioned-change.ts';
import { replaceCustomer } from '../storage/customers/customers.ts';
import type { CustomerRecord } from '../storage/customers/customer-items.ts';
import { crmEvent, type CrmEventType } from './crm-events.ts';
import { toCrmCustomer } from './customer-view.ts';

/** A CRM event of a change (with its own id when it records a fact once: CustomerNextActionOverdue). */
type CrmChangeEvent = { type: CrmEventType; description: string; data?: Record<string, unknown>; eventId?: string };
/** A CRM event, or the TMF event its TMF listeners hear of the same change. */
type ChangeEvent = CrmChangeEvent | { tmf: TmfEventType };

export interface CustomerChange {
  /** The customer after the change (changeVersioned fills in the bookkeeping). */
  record: CustomerRecord;
  /** What happened, in order; an empty list means nothing changed. */
  events: CrmChangeEvent[];
}

export const customerNotFound = (id: string) => notFound(`Customer '${id}' does not exist.`);

/** 200 with the customer as the seed shows it, and its ETag. */
export const customerResponse = (request: Request, record: CustomerRecord, fields: FieldsInForce, status = 200): Response => ({
  status,
  body: toCrmCustomer(shownToCaller(request, record, fields), fields),
  headers: { etag: etag(record.version) },
});

/**
 * Every CRM change of a customer's profile, owner, status or next action (changeVersioned: 404,
 * If-Match, retry on a concurrent writer): `decide` works out the new state and its events, and
 * both are written in one transaction conditional on the version read — with the TMF events the
 * change means for TMF629's hub listeners when it changed the customer's TMF view.
 */
export const changeCustomer = (
  request: Request,
  id: string,
  decide: (current: CustomerRecord, fields: FieldsInForce) => CustomerChange | Promise<CustomerChange>,
): Promise<Response> =>
  changeVersioned(request, {
    read: () => readCustomerWithFields(request, id, 'write'),
    missing: () => customerNotFound(id),
    decide: async (current, fields) => {
      const change = await decide(current, fields);
      const record = guardedChange(request, current, { ...change.record, id: current.id, tenantId: current.tenantId }, fields);
      if (change.events.length === 0) return { record, events: [] };
      // What TMF629's hub listeners hear of the same change (its name, contact media, …), after the CRM's own events.
      const tmf = tmfChangeTypes(tmfAttributesWithCustomValues(current, fields), tmfAttributesWithCustomValues(record, fields)).map(
        (type): ChangeEvent => ({ tmf: type }),
      );
      return { record, events: [...change.events, ...tmf] };
    },
    write: ({ current, next, events, context: fields }) => {
      const customer = toCrmCustomer(next, fields);
      return replaceCustomer(
        current,
        next,
        events.map((e, i) => {
          const sequence = current.sequence + i + 1;
          if ('tmf' in e) return tmfCustomerEvents([e.tmf], next, changeContext(request, fields), sequence, true)[0]!;
          return crmEvent(request, e.type, { type: 'Customer', id }, sequence, { customer, ...e.data }, e.description, e.eventId);
        }),
      );
    },
    respond: (record, _changed, fields) => customerResponse(request, record, fields),
  });
