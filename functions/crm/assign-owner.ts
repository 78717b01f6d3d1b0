import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { changeCustomer } from './customer-changes.ts';
import { crm } from './operations.ts';

/** PATCH /api/v1/crm/customers/{id}/owner/{ownerId} — assigning the current owner again changes nothing. */
export const handler = defineHandler(crm.assignCrmOwner, (request) => {
  const ownerId = request.params.ownerId!;
  if (ownerId.length > 200) throw badRequest('ownerId must be at most 200 characters.');
  return changeCustomer(request, request.params.id!, (current) =>
    current.ownerId === ownerId
      ? { record: current, events: [] }
      : {
          record: { ...current, ownerId },
          events: [{ type: 'OwnerAssigned', description: `Assigned to ${ownerId}`, data: { from: current.ownerId ?? null, to: ownerId } }],
        },
  );
});
