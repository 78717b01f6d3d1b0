import { defineHandler } from '../http/kernel.ts';
import { notFound } from '../http/errors.ts';
import { checkIfMatch } from '../http/preconditions.ts';
import { deleteSubscription, SUBSCRIPTION_VERSION } from '../storage/subscriptions.ts';
import { tmf629, type TmfCustomerOperations } from './operations.ts';

/** DELETE /hub/{id} in any generation — 204, 404 when unknown, 412 when If-Match names another version (a registration never changes: its ETag is "1"). */
export const unregisterListener = (operation: TmfCustomerOperations['unregisterListener']) =>
  defineHandler(operation, async (request) => {
    checkIfMatch(request.headers, SUBSCRIPTION_VERSION);
    const removed = await deleteSubscription(request.caller.tenantId, request.params.id);
    if (!removed) throw notFound(`Listener '${request.params.id}' does not exist.`);
    return { status: 204 };
  });

export const handler = unregisterListener(tmf629.unregisterListener);
