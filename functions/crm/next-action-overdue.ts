import { nextActionOverdueEventId, type CustomerRecord } from '../storage/customers/customer-items.ts';
import { findUser, type DirectoryUser } from '../storage/users.ts';

/**
 * A customer's next action is overdue once its due date has passed, and the fact is recorded once
 * per due date (`nextActionFlaggedFor`, which also puts the customer in its tenant's overdue list
 * instead of the due index) with one `CustomerNextActionOverdue` event. A next action written with
 * a date already past is flagged by that write, in its own transaction; one that falls due later
 * is flagged by the due sweep. Both make the event here, with the same id.
 */

/** The next action's due date, when it has one that has passed at `now` and is not flagged yet. */
export const unflaggedOverdue = (record: CustomerRecord, now: Date): string | undefined => {
  const due = record.nextActionDueDate;
  if (typeof due !== 'string' || record.nextActionFlaggedFor === due) return undefined;
  return Date.parse(due) <= now.getTime() ? due : undefined;
};

/** What `CustomerNextActionOverdue` says of a customer (flagged for `due`): its id, its data beside the customer's view, and its timeline line. */
export const nextActionOverdue = (customer: CustomerRecord, due: string, owner: DirectoryUser | undefined) => ({
  eventId: nextActionOverdueEventId(customer, due),
  data: { owner: owner ?? null, due: { nextAction: customer.nextAction ?? null, nextActionDueDate: due } },
  description: `Next action overdue: ${String(customer.nextAction ?? '(none)')} (due ${due})`,
});

/**
 * Flags a next action written already overdue: the record as it is stored (flagged, so listed at
 * once) and the event's content, or nothing when it is not overdue. Reads the owner's directory
 * entry (one GetItem) only then.
 */
export const flagIfOverdue = async (record: CustomerRecord, now: Date): Promise<{ record: CustomerRecord; overdue?: ReturnType<typeof nextActionOverdue> }> => {
  const due = unflaggedOverdue(record, now);
  if (due === undefined) return { record };
  const flagged: CustomerRecord = { ...record, nextActionFlaggedFor: due };
  const owner = typeof record.ownerId === 'string' ? await findUser(record.tenantId, record.ownerId) : undefined;
  return { record: flagged, overdue: nextActionOverdue(flagged, due, owner) };
};
