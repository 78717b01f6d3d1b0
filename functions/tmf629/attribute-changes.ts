import { changeContext, type Request, type Response } from '../http/kernel.ts';
import { notFound } from '../http/errors.ts';
import { parseWith } from '../http/validation.ts';
import { etag } from '../http/preconditions.ts';
import { changeVersioned, loaded } from '../http/versioned-change.ts';
import { getCustomer, replaceCustomer } from '../storage/customers/customers.ts';
import type { CustomerRecord } from '../storage/customers/customer-items.ts';
import { tmfAttributesOf } from '../domain/customer-model.ts';
import { shownAttributes, takeCustomer, type TmfGeneration } from '../domain/tmf629/generation.ts';
import type { Json } from '../domain/tmf629/items.ts';
import { tmfChangeTypes, tmfCustomerEvents } from '../events/tmf-customer-events.ts';
import { customerAnswer, selectedFields } from './customer-view.ts';

/** The record without its TMF attributes, so attributes a change removed do not survive (the CRM's own fields do). */
const withoutTmfAttributes = (record: CustomerRecord): CustomerRecord => {
  const rest: Record<string, unknown> = { ...record };
  for (const name of Object.keys(tmfAttributesOf(record))) delete rest[name];
  return rest as CustomerRecord;
};

/**
 * A change of a customer's TMF attributes through one generation (PATCH and PUT): `change` turns
 * the attributes as the generation shows them into the attributes after it, which must form a
 * valid customer of that generation (400 otherwise); they are stored as the generation maps them,
 * keeping what it cannot express (functions/domain/tmf629/items.ts). Through changeVersioned: 404
 * unknown, 412 stale If-Match, retry on a concurrent writer. Yields
 * CustomerAttributeValueChangeEvent, and CustomerStateChangeEvent when `status` changed; nothing
 * when the stored attributes are unchanged. Fields only the CRM API knows are kept.
 */
export const changeTmfAttributes = (
  generation: TmfGeneration,
  request: Request,
  id: string,
  change: (before: Json) => unknown,
  what: string,
): Promise<Response> => {
  const fields = selectedFields(generation, request.query.fields);
  return changeVersioned(request, {
    read: async () => loaded(await getCustomer(request.caller.tenantId, id)),
    missing: () => notFound(`Customer '${id}' does not exist.`),
    decide: (current) => {
      const before = tmfAttributesOf(current);
      const given = parseWith(generation.attributes, change(shownAttributes(generation, current)), what);
      const after = takeCustomer(generation, given, before, id);
      const types = tmfChangeTypes(before, after);
      if (types.length === 0) return { record: current, events: [] };
      return { record: { ...withoutTmfAttributes(current), ...after, id, tenantId: current.tenantId, name: String(after.name) }, events: types };
    },
    write: ({ current, next, events }) => replaceCustomer(current, next, tmfCustomerEvents(events, next, changeContext(request), current.sequence + 1)),
    respond: (record) => ({ status: 200, body: customerAnswer(generation, record, request.baseUrl, fields), headers: { etag: etag(record.version) } }),
  });
};
