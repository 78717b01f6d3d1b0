import { changeContext, type Request, type Response } from '../http/kernel.ts';
import { notFound } from '../http/errors.ts';
import { parseWith } from '../http/validation.ts';
import { etag } from '../http/preconditions.ts';
import { changeVersioned, loaded } from '../http/versioned-change.ts';
import { getCustomer, replaceCustomer } from '../storage/customers.ts';
import type { CustomerRecord } from '../storage/customer-items.ts';
import { CustomerAttributes, tmfAttributesOf, toTmfCustomer } from '../domain/customer-model.ts';
import { tmfChangeTypes, tmfCustomerEvents } from '../events/tmf-customer-events.ts';

/** The record without its TMF attributes, so attributes a change removed do not survive (the CRM's own fields do). */
const withoutTmfAttributes = (record: CustomerRecord): CustomerRecord => {
  const rest: Record<string, unknown> = { ...record };
  for (const name of Object.keys(tmfAttributesOf(record))) delete rest[name];
  return rest as CustomerRecord;
};

/**
 * A change of a customer's TMF attributes (PATCH and PUT): `change` turns the attributes as they
 * stand into the attributes after it, which must form a valid customer (400 otherwise). Through
 * changeVersioned: 404 unknown, 412 stale If-Match, retry on a concurrent writer. Yields
 * CustomerAttributeValueChangeEvent, and CustomerStateChangeEvent when `status` changed; nothing
 * when the attributes are unchanged. Fields only the CRM API knows are kept.
 */
export const changeTmfAttributes = (request: Request, id: string, change: (before: Record<string, unknown>) => unknown, what: string): Promise<Response> =>
  changeVersioned(request, {
    read: async () => loaded(await getCustomer(request.caller.tenantId, id)),
    missing: () => notFound(`Customer '${id}' does not exist.`),
    decide: (current) => {
      const before = tmfAttributesOf(current);
      const after = parseWith(CustomerAttributes, change(before), what);
      const types = tmfChangeTypes(before, after);
      if (types.length === 0) return { record: current, events: [] };
      return { record: { ...withoutTmfAttributes(current), ...after, id, tenantId: current.tenantId }, events: types };
    },
    write: ({ current, next, events }) => replaceCustomer(current, next, tmfCustomerEvents(events, next, changeContext(request), current.sequence + 1)),
    respond: (record) => ({ status: 200, body: toTmfCustomer(record, request.baseUrl), headers: { etag: etag(record.version) } }),
  });
