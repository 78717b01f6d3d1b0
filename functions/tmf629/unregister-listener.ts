import { defineHandler } from '../http/kernel.ts';
import { notFound } from '../http/errors.ts';
import { deleteSubscription } from '../storage/subscriptions.ts';
import { tmf629 } from './operations.ts';

/** DELETE /hub/{id} — 204, 404 when unknown. */
export const handler = defineHandler(tmf629.unregisterListener, async (request) => {
  const removed = await deleteSubscription(request.caller.tenantId, request.params.id!);
  if (!removed) throw notFound(`Listener '${request.params.id}' does not exist.`);
  return { status: 204 };
});
