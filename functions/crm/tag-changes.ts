import type { Request, Response } from '../http/kernel.ts';
import { parseWith } from '../http/validation.ts';
import { changeVersioned } from '../http/versioned-change.ts';
import { changeTag } from '../storage/customers/customers.ts';
import { crmEvent } from './crm-events.ts';
import { customerNotFound, customerResponse } from './customer-changes.ts';
import { readCustomerWithFields } from '../http/custom-values.ts';
import { toCrmCustomer } from './customer-view.ts';
import { MAX_TAGS, Tag } from './schemas.ts';
import { unprocessable } from '../http/errors.ts';

/**
 * Adds or removes a tag: an atomic set update with its event. A tag already there (or already
 * gone) changes nothing and emits nothing; concurrent tag changes all land.
 */
export const changeTagOf = async (request: Request, add: boolean): Promise<Response> => {
  const tag = parseWith(Tag, request.params.tag, 'tag');
  const id = request.params.id!;
  return changeVersioned(request, {
    read: () => readCustomerWithFields(request, id, 'write'),
    missing: () => customerNotFound(id),
    decide: (current) => {
      const tags = (current.tags as string[]) ?? [];
      if (tags.includes(tag) === add) return { record: current, events: [] };
      if (add && tags.length >= MAX_TAGS) throw unprocessable(`A customer holds at most ${MAX_TAGS} tags; remove one before adding '${tag}'.`);
      return { record: { ...current, tags: add ? [...tags, tag].sort() : tags.filter((t) => t !== tag) }, events: [add ? 'TagAdded' : 'TagRemoved'] as const };
    },
    write: ({ current, next, events: [type], context: fields }) =>
      changeTag(
        current,
        next,
        tag,
        add,
        crmEvent(
          request,
          type!,
          { type: 'Customer', id },
          next.sequence,
          { customer: toCrmCustomer(next, fields), tag },
          `Tag ${tag} ${add ? 'added' : 'removed'}`,
        ),
      ),
    respond: (record, _changed, fields) => customerResponse(request, record, fields),
  });
};
