import { defineHandler } from '../http/kernel.ts';
import { mayReach, shownToCaller } from '../http/access.ts';
import { getCustomers } from '../storage/customers/customers.ts';
import { customersMatching } from '../storage/customers/match-keys.ts';
import { matchKeysOf, type MatchKind } from '../domain/match-keys.ts';
import { customerNotFound } from './customer-changes.ts';
import { toCrmCustomer } from './customer-view.ts';
import { crm } from './operations.ts';
import { readCustomerWithFields } from '../http/custom-values.ts';

/**
 * GET /api/v1/crm/customers/{id}/duplicates — the tenant's customers sharing a match key with this
 * one (same normalised e-mail, phone or name), each with its reasons, those sharing more first;
 * one Query per key of the customer (at most 8), then one batch read: bounded however large the tenant.
 */
export const handler = defineHandler(crm.findCrmDuplicates, async (request) => {
  const { limit } = request.query;
  const { tenantId } = request.caller;
  const read = await readCustomerWithFields(request, request.params.id);
  if (!read) throw customerNotFound(request.params.id);
  const { record: customer, context: fields } = read;
  const reasons = new Map<string, Set<MatchKind>>();
  const keys = matchKeysOf(customer);
  const matches = await Promise.all(keys.map((key) => customersMatching(tenantId, key, limit + 1)));
  matches.forEach((ids, i) => {
    for (const id of ids) if (id !== customer.id) reasons.set(id, (reasons.get(id) ?? new Set()).add(keys[i]!.kind));
  });
  const ranked = [...reasons.entries()].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0])).slice(0, limit);
  const found = await getCustomers(
    tenantId,
    ranked.map(([id]) => id),
  );
  const body = ranked.flatMap(([id, why], i) => {
    const record = found[i];
    // A duplicate the caller may not see is not named to them.
    return record && record.id === id && mayReach(request, record, 'read')
      ? [{ customer: toCrmCustomer(shownToCaller(request, record, fields), fields), reasons: [...why].sort() }]
      : [];
  });
  return { status: 200, body };
});
