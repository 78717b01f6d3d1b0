import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { newId } from '../storage/ids.ts';
import { insertSubscription, SUBSCRIPTION_VERSION } from '../storage/subscriptions.ts';
import { etag } from '../http/preconditions.ts';
import { checkCallbackUrl } from '../domain/callback-url.ts';
import { HubQueryError, parseHubQuery } from '../domain/hub-query.ts';
import { TMF_EVENT_TYPES } from '../events/tmf-customer-events.ts';
import { TMF_BASE_PATH } from '../domain/customer-model.ts';
import { tmf629 } from './operations.ts';

const allowLoopback = process.env.ALLOW_LOOPBACK_CALLBACKS === 'true';

/** POST /hub — 201 {id, callback, query}. */
export const handler = defineHandler(tmf629.registerListener, async (request) => {
  const { callback, query } = request.body;
  const verdict = checkCallbackUrl(callback, allowLoopback);
  if (!verdict.ok) throw badRequest(`callback refused: ${verdict.reason}.`);
  try {
    parseHubQuery(query, TMF_EVENT_TYPES);
  } catch (error) {
    if (error instanceof HubQueryError) throw badRequest(`query: ${error.message}.`);
    throw error;
  }
  const subscription = { id: newId(), tenantId: request.caller.tenantId, callback, query, createdAt: new Date().toISOString(), createdBy: request.caller.sub };
  await insertSubscription(subscription);
  const body = { id: subscription.id, callback, ...(query === undefined ? {} : { query }) };
  return { status: 201, body, headers: { location: `${request.baseUrl}${TMF_BASE_PATH}/hub/${subscription.id}`, etag: etag(SUBSCRIPTION_VERSION) } };
});
