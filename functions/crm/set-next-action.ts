import { defineHandler } from '../http/kernel.ts';
import type { CustomerRecord } from '../storage/customers/customer-items.ts';
import { changeCustomer } from './customer-changes.ts';
import { flagIfOverdue } from './next-action-overdue.ts';
import { crm } from './operations.ts';

/**
 * PATCH /api/v1/crm/customers/{id}/next-action — sets either or both; `null` clears; absent keeps.
 * A due date already past is flagged overdue in the same write: the customer is in the overdue
 * list at once, with its CustomerNextActionOverdue event in the same transaction.
 */
export const handler = defineHandler(crm.setNextAction, (request) =>
  changeCustomer(request, request.params.id!, async (current) => {
    const next: CustomerRecord = { ...current };
    for (const field of ['nextAction', 'nextActionDueDate'] as const) {
      const value = request.body[field];
      if (value === null) delete next[field];
      else if (value !== undefined) next[field] = value;
    }
    if (next.nextAction === current.nextAction && next.nextActionDueDate === current.nextActionDueDate) return { record: current, events: [] };
    const description = next.nextAction
      ? `Next action: ${String(next.nextAction)}${next.nextActionDueDate ? ` (due ${String(next.nextActionDueDate)})` : ''}`
      : 'Next action cleared';
    const { record, overdue } = await flagIfOverdue(next, new Date());
    return {
      record,
      events: [
        { type: 'NextActionSet', description, data: { nextAction: next.nextAction ?? null, nextActionDueDate: next.nextActionDueDate ?? null } },
        ...(overdue ? [{ type: 'CustomerNextActionOverdue' as const, ...overdue }] : []),
      ],
    };
  }),
);
