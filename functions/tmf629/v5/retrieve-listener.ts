import { defineHandler } from '../../http/kernel.ts';
import { notFound } from '../../http/errors.ts';
import { etag } from '../../http/preconditions.ts';
import { getSubscription, SUBSCRIPTION_VERSION } from '../../storage/subscriptions.ts';
import { v5 } from '../../domain/tmf629/generations.ts';
import { hubAnswer } from '../hub-registration.ts';
import { tmf629v5 } from '../operations.ts';

/** GET /hub/{id} (v5's hubGet) — 200 with the registration as v5's Hub, 404 when unknown. */
export const handler = defineHandler(tmf629v5.retrieveListener, async (request) => {
  const subscription = await getSubscription(request.caller.tenantId, request.params.id);
  if (!subscription) throw notFound(`Listener '${request.params.id}' does not exist.`);
  return { status: 200, body: hubAnswer(v5, subscription, request.baseUrl), headers: { etag: etag(SUBSCRIPTION_VERSION) } };
});
