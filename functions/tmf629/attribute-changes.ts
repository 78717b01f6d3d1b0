import { changeContext, type Request, type Response } from '../http/kernel.ts';
import { notFound } from '../http/errors.ts';
import { parseWith } from '../http/validation.ts';
import { etag } from '../http/preconditions.ts';
import { changeVersioned } from '../http/versioned-change.ts';
import { replaceCustomer } from '../storage/customers/customers.ts';
import type { CustomerRecord } from '../storage/customers/customer-items.ts';
import { tmfAttributesOf } from '../domain/customer-model.ts';
import { shownAttributes, takeCustomer, type TmfGeneration } from '../domain/tmf629/generation.ts';
import type { Json } from '../domain/tmf629/items.ts';
import { tmfChangeTypes, tmfCustomerEvents } from '../events/tmf-customer-events.ts';
import { badRequest } from '../http/errors.ts';
import { guardedChange, refuseClosedCustomValues, shownToCaller } from '../http/access.ts';
import { readCustomerWithFields, withCheckedCustomValues } from '../http/custom-values.ts';
import { isJsonObject, jsonEqual } from '../domain/canonical-json.ts';
import {
  shownCustomValues,
  splitCustomCharacteristics,
  storedCustomValues,
  tmfAttributesWithCustomValues,
  type CustomValues,
  type FieldsInForce,
} from '../domain/custom-values.ts';
import { customerAnswer, selectedFields } from './customer-view.ts';

/** The record without its TMF attributes, so attributes a change removed do not survive (the CRM's own fields do). */
const withoutTmfAttributes = (record: CustomerRecord): CustomerRecord => {
  const rest: Record<string, unknown> = { ...record };
  for (const name of Object.keys(tmfAttributesOf(record))) delete rest[name];
  return rest as CustomerRecord;
};

/**
 * The stored TMF attributes a generation's write gave, split: the characteristics naming one of
 * the tenant's custom fields are its values (as given: the caller checks them), the rest stay
 * characteristics. 400 for a field named twice.
 */
export const customCharacteristicsOf = (
  generation: TmfGeneration,
  stored: Json,
  custom: FieldsInForce,
  kept: readonly unknown[] = [],
): { attributes: Json; values: CustomValues } => {
  const split = splitCustomCharacteristics(stored, custom, { valuesAsText: generation.name === 'v3', kept });
  if (split.problems.length > 0) throw badRequest(`Invalid request body: ${split.problems.join('; ')}`);
  return { attributes: split.attributes, values: split.values };
};

/**
 * A change of a customer's TMF attributes through one generation (PATCH and PUT): `change` turns
 * the attributes as the generation shows them into the attributes after it, which must form a
 * valid customer of that generation (400 otherwise); they are stored as the generation maps them,
 * keeping what it cannot express (functions/domain/tmf629/items.ts). Through changeVersioned: 404
 * unknown, 412 stale If-Match, retry on a concurrent writer. Yields
 * CustomerAttributeValueChangeEvent, and CustomerStateChangeEvent when `status` changed; nothing
 * when the stored attributes are unchanged. Fields only the CRM API knows are kept. The custom
 * values are among the characteristics: one the change leaves out is cleared, one it changed is
 * checked against its field (a value it sends back unchanged is not checked again: a constraint
 * tightened since applies to new values only).
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
    read: () => readCustomerWithFields(request, id, 'write'),
    missing: () => notFound(`Customer '${id}' does not exist.`),
    decide: async (current, custom) => {
      // The change applies to the customer as the caller sees it (a JSON Patch's indices are theirs); what is hidden from them is kept.
      const visible = shownToCaller(request, current, custom);
      const before = tmfAttributesWithCustomValues(visible, custom);
      const given = parseWith(generation.attributes, change(shownAttributes(generation, before)), what);
      const stored = storedCustomValues(visible);
      // Free-form characteristics stored before a field of their name existed, while the field holds no value.
      const kept = (Array.isArray(current.characteristic) ? current.characteristic : []).filter(
        (item) => isJsonObject(item) && typeof item.name === 'string' && custom.has(item.name) && stored[item.name] === undefined,
      );
      const { attributes, values } = customCharacteristicsOf(generation, takeCustomer(generation, given, before, id), custom, kept);
      const written: CustomValues = {};
      for (const key of Object.keys(shownCustomValues(stored, custom).values)) if (!(key in values)) written[key] = null;
      for (const [key, value] of Object.entries(values)) if (!jsonEqual(value, stored[key])) written[key] = value;
      refuseClosedCustomValues(request, written, custom);
      const base = { ...withoutTmfAttributes(current), ...attributes, id, tenantId: current.tenantId, name: String(attributes.name) };
      const next = guardedChange(request, current, await withCheckedCustomValues(base, written, custom, { creating: false, path: 'characteristic' }), custom);
      const types = tmfChangeTypes(tmfAttributesWithCustomValues(current, custom), tmfAttributesWithCustomValues(next, custom));
      if (types.length === 0) return { record: current, events: [] };
      return { record: next, events: types };
    },
    write: ({ current, next, events, context: custom }) =>
      replaceCustomer(current, next, tmfCustomerEvents(events, next, changeContext(request, custom), current.sequence + 1)),
    respond: (record, _changed, custom) => ({
      status: 200,
      body: customerAnswer(generation, shownToCaller(request, record, custom), request.baseUrl, fields, custom),
      headers: { etag: etag(record.version) },
    }),
  });
};
