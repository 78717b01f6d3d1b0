import type { Request, Response } from '../http/kernel.ts';
import { parseWith } from '../http/validation.ts';
import { checkIfMatch } from '../http/preconditions.ts';
import { changeTag, getCustomer } from '../storage/customers.ts';
import { withOptimisticRetry } from '../storage/optimistic.ts';
import { crmEvent } from './crm-events.ts';
import { customerNotFound, customerResponse } from './customer-changes.ts';
import { toCrmCustomer } from './customer-view.ts';
import { Tag } from './schemas.ts';

/** Under heavy contention on one customer, the ordering condition may need a few more rounds than other changes. */
const TAG_ATTEMPTS = 40;

/**
 * Adds or removes a tag: an atomic set update with its event. A tag already there (or already
 * gone) changes nothing and emits nothing; concurrent tag changes all land.
 */
export const changeTagOf = async (request: Request<unknown>, add: boolean): Promise<Response> => {
  const tag = parseWith(Tag, request.params.tag, 'tag');
  const id = request.params.id!;
  return withOptimisticRetry(async () => {
    const current = await getCustomer(request.caller.tenantId, id);
    if (!current) throw customerNotFound(id);
    checkIfMatch(request.headers, current.version);
    const tags = (current.tags as string[]) ?? [];
    if (tags.includes(tag) === add) return customerResponse(current);
    const now = new Date().toISOString();
    const next = {
      ...current,
      tags: add ? [...tags, tag].sort() : tags.filter((t) => t !== tag),
      version: current.version + 1,
      sequence: current.sequence + 1,
      updatedAt: now,
      updatedBy: request.caller.sub,
    };
    const event = crmEvent(
      request,
      add ? 'TagAdded' : 'TagRemoved',
      { type: 'Customer', id },
      next.sequence,
      { customer: toCrmCustomer(next), tag },
      `Tag ${tag} ${add ? 'added' : 'removed'}`,
    );
    await changeTag(current, tag, add, event, now, request.caller.sub);
    return customerResponse(next);
  }, TAG_ATTEMPTS);
};
