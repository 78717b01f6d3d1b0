import { defineHandler } from '../http/kernel.ts';
import { conflict } from '../http/errors.ts';
import { checkTransition, CRM_STATUS_TRANSITIONS, type CrmStatus } from '../domain/crm-status.ts';
import { changeCustomer } from './customer-changes.ts';
import { crm } from './operations.ts';

/** PATCH /api/v1/crm/customers/{id}/crm-status — along the pipeline's transition table, 409 otherwise. */
export const handler = defineHandler(crm.updateCrmStatus, (request) =>
  changeCustomer(request, request.params.id!, (current) => {
    const from = (current.crmStatus as CrmStatus | undefined) ?? 'LEAD';
    const to = request.body.crmStatus;
    const verdict = checkTransition(CRM_STATUS_TRANSITIONS, from, to);
    if (!verdict.ok) throw conflict(`crmStatus cannot move from ${from} to ${to}; allowed from ${from}: ${verdict.allowed.join(', ') || 'none'}.`);
    if (!verdict.changed) return { record: current, events: [] };
    return {
      record: { ...current, crmStatus: to },
      events: [{ type: 'CrmStatusChanged', description: `Status changed from ${from} to ${to}`, data: { from, to } }],
    };
  }),
);
