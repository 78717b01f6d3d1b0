import { defineHandler } from '../http/kernel.ts';
import { conflict } from '../http/errors.ts';
import { jsonEqual } from '../domain/canonical-json.ts';
import { checkTransition } from '../domain/crm-status.ts';
import { OPPORTUNITY_TRANSITIONS, type OpportunityStatus } from '../domain/opportunity-status.ts';
import { changeChild, withChanges } from './child-changes.ts';
import type { CrmEventType } from './crm-events.ts';
import { crm } from './operations.ts';

/** PATCH /api/v1/crm/customers/{id}/opportunities/{opportunityId} — status along NEW → … → WON | LOST, 409 otherwise. */
export const handler = defineHandler(crm.updateOpportunity, (request) =>
  changeChild(request, 'OPPORTUNITY', request.params.opportunityId!, (current) => {
    const from = current.status as OpportunityStatus;
    const to = (request.body.status as OpportunityStatus | undefined) ?? from;
    const verdict = checkTransition(OPPORTUNITY_TRANSITIONS, from, to);
    if (!verdict.ok) throw conflict(`status cannot move from ${from} to ${to}; allowed from ${from}: ${verdict.allowed.join(', ') || 'none (it is final)'}.`);
    const next = withChanges(current, request.body);
    if (jsonEqual(current, next)) return { record: current, events: [] };
    const events: { type: CrmEventType; description: string; data?: Record<string, unknown> }[] = [
      { type: 'OpportunityUpdated', description: `Opportunity ${String(next.name)} updated` },
    ];
    if (verdict.changed)
      events.push({ type: 'OpportunityStatusChanged', description: `Opportunity ${String(next.name)} moved from ${from} to ${to}`, data: { from, to } });
    return { record: next, events };
  }),
);
