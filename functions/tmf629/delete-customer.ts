import { changeContext, defineHandler } from '../http/kernel.ts';
import { notFound } from '../http/errors.ts';
import { deleteCustomerRequest } from '../http/customer-deletion.ts';
import { tmfCustomerEvents } from '../events/tmf-customer-events.ts';
import { tmf629, type TmfCustomerOperations } from './operations.ts';

/**
 * DELETE /customer/{id} in any generation — 204; the customer leaves every family's reads and lists
 * at once, restorable through the CRM API for its window, then purged. The CustomerDeleteEvent carries its last state.
 */
export const deleteCustomer = (operation: TmfCustomerOperations['deleteCustomer']) =>
  defineHandler(operation, (request) =>
    deleteCustomerRequest(
      request,
      request.params.id,
      () => notFound(`Customer '${request.params.id}' does not exist.`),
      1,
      (record, _deletion, fields) => tmfCustomerEvents(['CustomerDeleteEvent'], record, changeContext(request, fields), record.sequence + 1),
    ),
  );

export const handler = deleteCustomer(tmf629.deleteCustomer);
