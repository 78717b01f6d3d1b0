import { defineHandler } from '../http/kernel.ts';
import { changeCustomer } from './customer-changes.ts';
import { crm } from './operations.ts';

/** DELETE /api/v1/crm/customers/{id}/owner — an unowned customer stays as it is. */
export const handler = defineHandler(crm.removeCrmOwner, (request) =>
  changeCustomer(request, request.params.id!, (current) => {
    if (current.ownerId === undefined) return { record: current, events: [] };
    const { ownerId, ...rest } = current;
    return { record: rest, events: [{ type: 'OwnerRemoved', description: `Owner ${String(ownerId)} removed`, data: { from: ownerId } }] };
  }),
);
