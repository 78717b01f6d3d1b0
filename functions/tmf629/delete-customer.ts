import { defineHandler } from '../http/kernel.ts';
import { notFound } from '../http/errors.ts';
import { checkIfMatch } from '../http/preconditions.ts';
import { getCustomer, removeCustomer } from '../storage/customers.ts';
import { withOptimisticRetry } from '../storage/optimistic.ts';
import { customerEvents } from './customer-events.ts';
import { tmf629 } from './operations.ts';

/** DELETE /customer/{id} — 204; the CustomerDeleteEvent carries the last state. */
export const handler = defineHandler(tmf629.deleteCustomer, async (request) => {
  const id = request.params.id!;
  return withOptimisticRetry(async () => {
    const current = await getCustomer(request.caller.tenantId, id);
    if (!current) throw notFound(`Customer '${id}' does not exist.`);
    checkIfMatch(request.headers, current.version);
    await removeCustomer(current, customerEvents(['CustomerDeleteEvent'], current, request, current.sequence)[0]!);
    return { status: 204 };
  });
});
