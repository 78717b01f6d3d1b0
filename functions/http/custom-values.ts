import type { Request } from './kernel.ts';
import { badRequest, payloadTooLarge } from './errors.ts';
import { checkCustomValues, customValuesBudgetProblem } from '../domain/custom-fields.ts';
import { changedCustomValues, storedCustomValues, withCustomValues, type FieldsInForce } from '../domain/custom-values.ts';
import { fieldDefinitionsInForce } from '../storage/fields/field-definitions.ts';
import { jsonEqual } from '../domain/canonical-json.ts';
import { getCustomer, getCustomers } from '../storage/customers/customers.ts';
import type { CustomerRecord } from '../storage/customers/customer-items.ts';
import { reachable } from './access.ts';

/**
 * Custom values in every family's customer writes (issue 24), once: the tenant's fields in force,
 * and a write's values checked against them, merged into the record with their unique claims.
 */

/** The tenant's customer fields in force: read once per function instance and FIELDS_CACHE_SECONDS (5 s). */
export const customerFields = (request: Pick<Request<unknown>, 'caller'>): Promise<FieldsInForce> =>
  fieldDefinitionsInForce(request.caller.tenantId, 'customer');

/**
 * One customer of the caller's tenant that the caller reaches for the action (undefined for an
 * unknown id, another tenant's, or one the caller may not read; 403 for a write they may not make:
 * http/access.ts) with the
 * tenant's fields in force, read together: the shape of a versioned change's `read` (the fields
 * are its context), and what every read that shows a customer needs.
 */
export const readCustomerWithFields = async (
  request: Pick<Request<unknown>, 'caller'>,
  id: string,
  action: 'read' | 'write' = 'read',
): Promise<{ record: CustomerRecord; context: FieldsInForce } | undefined> => {
  const [record, fields] = await Promise.all([getCustomer(request.caller.tenantId, id), customerFields(request)]);
  const found = reachable(request, record, action);
  return found && { record: found, context: fields };
};

/**
 * The record with a write's custom values: each checked against its field (every problem at once,
 * each naming its path under `path`: 400), normalised, over the values the record holds (`null`
 * clears one; a value given as it is stored is no change) — on a create with the fields' defaults
 * and every required field given — within a
 * customer's budget (413 naming the largest), with the unique values it claims. A reference to a
 * customer the write gives must name a live customer of the tenant (one batch read of those it
 * changed; a reference already stored is not read again).
 */
export const withCheckedCustomValues = async <R extends Record<string, unknown>>(
  record: R,
  given: Record<string, unknown>,
  fields: FieldsInForce,
  { creating, path = 'customFields' }: { creating: boolean; path?: string },
): Promise<R> => {
  const before = creating ? {} : storedCustomValues(record);
  // A value sent back as it is stored is no change: not checked again (a constraint tightened since applies to new values).
  const changes = creating ? given : Object.fromEntries(Object.entries(given).filter(([key, value]) => !jsonEqual(value, before[key])));
  const checked = await checkCustomValues(fields, changes, { creating, path });
  if (checked.problems.length > 0) throw badRequest(`Invalid request body: ${checked.problems.join('; ')}`);
  const values = changedCustomValues(before, checked.values);
  const tooLarge = customValuesBudgetProblem(values, path);
  if (tooLarge) throw payloadTooLarge(tooLarge);
  const references = Object.entries(checked.values).filter(
    ([key, value]) => fields.get(key)?.type === 'customerReference' && typeof value === 'string' && value !== before[key] && value !== record.id,
  ) as [string, string][];
  if (references.length > 0) {
    const found = await getCustomers(
      String(record.tenantId),
      references.map(([, id]) => id),
    );
    const missing = references.filter((_, i) => found[i] === undefined).map(([key, id]) => `${path}.${key}: no customer '${id}' in this tenant`);
    if (missing.length > 0) throw badRequest(`Invalid request body: ${missing.join('; ')}`);
  }
  return withCustomValues(record, values, fields);
};
