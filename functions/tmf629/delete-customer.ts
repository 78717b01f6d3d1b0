import { changeContext, defineHandler } from '../http/kernel.ts';
import { notFound } from '../http/errors.ts';
import { changeVersioned, loaded } from '../http/versioned-change.ts';
import { getCustomer, removeCustomer } from '../storage/customers.ts';
import { tmfCustomerEvents } from '../events/tmf-customer-events.ts';
import { tmf629, type TmfCustomerOperations } from './operations.ts';

/** DELETE /customer/{id} in any generation — 204; the CustomerDeleteEvent carries the last state. */
export const deleteCustomer = (operation: TmfCustomerOperations['deleteCustomer']) =>
  defineHandler(operation, (request) => {
    const id = request.params.id;
    return changeVersioned(request, {
      read: async () => loaded(await getCustomer(request.caller.tenantId, id)),
      missing: () => notFound(`Customer '${id}' does not exist.`),
      decide: (current) => ({ record: current, events: ['CustomerDeleteEvent' as const] }),
      write: ({ current }) => removeCustomer(current, tmfCustomerEvents(['CustomerDeleteEvent'], current, changeContext(request), current.sequence + 1)[0]!),
      respond: () => ({ status: 204 }),
    });
  });

export const handler = deleteCustomer(tmf629.deleteCustomer);
