import { changeContext, defineHandler } from '../http/kernel.ts';
import { reachable } from '../http/access.ts';
import { badRequest, unprocessable } from '../http/errors.ts';
import { checkIfMatch } from '../http/preconditions.ts';
import { withOptimisticRetry } from '../storage/table/optimistic.ts';
import { ConditionFailed } from '../storage/table/transactions.ts';
import { getCustomer } from '../storage/customers/customers.ts';
import { changedBookkeeping } from '../storage/table/bookkeeping.ts';
import { getCustomerState, retentionMs } from '../storage/customers/customer-lifecycle.ts';
import { mergeCustomers, moveMergedStep, type DuplicateChange } from '../storage/customers/customer-merge.ts';
import { tmfCustomerEvents } from '../events/tmf-customer-events.ts';
import { crmEvent } from './crm-events.ts';
import { customerNotFound, customerResponse } from './customer-changes.ts';
import { toCrmCustomer } from './customer-view.ts';
import { MAX_TAGS } from './schemas.ts';
import { crm } from './operations.ts';
import { customerFields } from '../http/custom-values.ts';
import { customValuesBudgetProblem } from '../domain/custom-fields.ts';
import { mergedCustomValues, storedCustomValues, withCustomValues } from '../domain/custom-values.ts';

/** How long the request itself moves the duplicates' items before it answers; the due sweep finishes the rest. */
const IN_REQUEST_MS = 3000;

/**
 * POST /api/v1/crm/customers/{id}/merge — `{duplicateIds}` (1 to 5): one transaction makes the
 * customer of the path the survivor (their tags join its own; it remembers their ids) and each
 * duplicate a merged customer (gone from every list, count and match key; reads of it answer 301
 * to the survivor; its record kept for an unmerge inside the retention window). Then their
 * activities, opportunities and timeline move to the survivor in bounded steps, here for up to 3 s,
 * then by the due sweep. CustomersMerged names all ids; TMF629's hub listeners hear each
 * duplicate's CustomerDeleteEvent. If-Match on the survivor honoured; 404 naming an unknown id.
 * Custom values: the survivor keeps its own; a field it holds no value of takes the first
 * duplicate's (in the order given) that holds one, a unique value with its claim
 * (domain/custom-values.ts, `mergedCustomValues`).
 */
export const handler = defineHandler(crm.mergeCrmCustomer, async (request) => {
  const { tenantId, sub } = request.caller;
  const id = request.params.id;
  const duplicateIds = [...new Set(request.body.duplicateIds)];
  if (duplicateIds.length !== request.body.duplicateIds.length) throw badRequest('duplicateIds: each id once.');
  if (duplicateIds.includes(id)) throw badRequest('duplicateIds: a customer cannot be merged into itself.');
  const fields = await customerFields(request);
  const merged = await withOptimisticRetry(async () => {
    const [found, ...states] = await Promise.all([getCustomer(tenantId, id), ...duplicateIds.map((customerId) => getCustomerState(tenantId, customerId))]);
    const survivor = reachable(request, found, 'write');
    if (!survivor) throw customerNotFound(id);
    // A retried merge: duplicates already merged into this survivor are done; any other that is not live is unknown here.
    const already = (i: number) => states[i]?.state === 'merged' && states[i].merger.mergedInto === id;
    states.forEach((state, i) => {
      if (state?.state !== 'live' && !already(i)) throw customerNotFound(duplicateIds[i]!);
      // A duplicate the caller may not see is unknown to them; one they may see but not change, 403.
      if (state?.state === 'live' && !reachable(request, state.record, 'write')) throw customerNotFound(duplicateIds[i]!);
    });
    const duplicates = states.flatMap((state) => (state?.state === 'live' ? [state.record] : []));
    if (duplicates.length === 0) return { survivorNext: survivor, purgeAt: undefined };
    checkIfMatch(request.headers, survivor.version);
    const now = new Date();
    const survivorTags = (survivor.tags as string[] | undefined) ?? [];
    const tags = [...new Set([...survivorTags, ...duplicates.flatMap((d) => (d.tags as string[] | undefined) ?? [])])].sort();
    if (tags.length > MAX_TAGS) throw unprocessable(`Together they hold ${tags.length} tags; a customer holds at most ${MAX_TAGS}.`);
    const custom = mergedCustomValues(
      storedCustomValues(survivor),
      duplicates.map((d) => ({ id: d.id, values: storedCustomValues(d) })),
    );
    const survivorNext = withCustomValues(
      {
        ...survivor,
        tags,
        mergedIds: [...((survivor.mergedIds as string[] | undefined) ?? []), ...duplicates.map((d) => d.id)],
        ...changedBookkeeping(survivor, 1, sub, now.toISOString()),
      },
      custom.values,
      fields,
      // A value taken from a duplicate takes its claim with it.
      [survivor, ...duplicates],
    );
    const tooLarge = customValuesBudgetProblem(custom.values);
    if (tooLarge) throw unprocessable(`Together they hold too much: ${tooLarge}.`);
    const changes: DuplicateChange[] = duplicates.map((duplicate) => {
      const record = duplicate;
      const next = { ...record, ...changedBookkeeping(record, 1, sub, now.toISOString()) };
      return {
        record,
        next,
        merger: {
          mergedInto: id,
          mergedAt: now.toISOString(),
          mergedBy: sub,
          purgeAt: new Date(now.getTime() + retentionMs()).toISOString(),
          tagsAdded: ((record.tags as string[] | undefined) ?? []).filter((tag) => !survivorTags.includes(tag)),
          ...(custom.added[record.id] ? { customFieldsAdded: custom.added[record.id] } : {}),
        },
        events: tmfCustomerEvents(['CustomerDeleteEvent'], record, changeContext(request, fields), record.sequence + 1, true),
      };
    });
    const event = crmEvent(
      request,
      'CustomersMerged',
      { type: 'Customer', id },
      survivor.sequence + 1,
      { customer: toCrmCustomer(survivorNext, fields), survivorId: id, mergedIds: duplicates.map((d) => d.id) },
      `Merged ${duplicates.map((d) => `${d.name} (${d.id})`).join(', ')} into this customer`,
    );
    try {
      await mergeCustomers(survivor, survivorNext, [event], changes);
    } catch (error) {
      // A duplicate changed (or went) meanwhile: read all again and decide again, like a change of the survivor.
      if (error instanceof ConditionFailed && error.index > 0) throw new ConditionFailed(0, undefined);
      throw error;
    }
    return { survivorNext, purgeAt: changes[0]!.merger.purgeAt };
  });
  const until = Date.now() + IN_REQUEST_MS;
  if (merged.purgeAt) for (const duplicate of duplicateIds) await moveMergedStep(tenantId, duplicate, id, merged.purgeAt, until);
  return customerResponse(request, merged.survivorNext, fields);
});
