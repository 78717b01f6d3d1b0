import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { newId } from '../domain/ids.ts';
import { hubSecretOwner, insertSubscription, SUBSCRIPTION_VERSION, type Subscription } from '../storage/subscriptions.ts';
import { sealSecret } from '../storage/table/sealed-secrets.ts';
import { etag } from '../http/preconditions.ts';
import { checkCallbackUrl } from '../domain/callback-url.ts';
import { checkWebhookSecret } from '../domain/webhook-secret.ts';
import { HubQueryError, parseHubQuery } from '../domain/hub-query.ts';
import type { TmfGeneration } from '../domain/tmf629/generation.ts';
import { v4 } from '../domain/tmf629/generations.ts';
import { TMF_EVENT_TYPES } from '../events/tmf-customer-events.ts';
import { hubAnswer } from './hub-registration.ts';
import { tmf629, type TmfCustomerOperations } from './operations.ts';

const allowLoopback = process.env.ALLOW_LOOPBACK_CALLBACKS === 'true';

/**
 * POST /hub in any generation — 201 with the registration; its listener is notified in this
 * generation's format, signed with its `secret` when it gave one (kept sealed, never shown back).
 */
export const registerListener = (generation: TmfGeneration, operation: TmfCustomerOperations['registerListener']) =>
  defineHandler(operation, async (request) => {
    const { callback, query, '@type': type, secret } = request.body as { callback: string; query?: string; '@type'?: string; secret?: string };
    const verdict = checkCallbackUrl(callback, allowLoopback);
    if (!verdict.ok) throw badRequest(`callback refused: ${verdict.reason}.`);
    const secretProblem = secret === undefined ? undefined : checkWebhookSecret(secret);
    if (secretProblem) throw badRequest(`secret: ${secretProblem}.`);
    try {
      parseHubQuery(query, TMF_EVENT_TYPES);
    } catch (error) {
      if (error instanceof HubQueryError) throw badRequest(`query: ${error.message}.`);
      throw error;
    }
    const id = newId();
    const tenantId = request.caller.tenantId;
    const subscription: Subscription = {
      id,
      tenantId,
      callback,
      ...(query === undefined ? {} : { query }),
      generation: generation.name,
      ...(type === undefined ? {} : { type }),
      ...(secret === undefined ? {} : { secret: await sealSecret(secret, hubSecretOwner({ tenantId, id })) }),
      createdAt: new Date().toISOString(),
      createdBy: request.caller.sub,
    };
    await insertSubscription(subscription);
    const location = `${request.baseUrl}${request.path}/${encodeURIComponent(subscription.id)}`;
    return { status: 201, body: hubAnswer(generation, subscription, request.baseUrl), headers: { location, etag: etag(SUBSCRIPTION_VERSION) } };
  });

export const handler = registerListener(v4, tmf629.registerListener);
