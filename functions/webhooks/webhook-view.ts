import { notFound } from '../http/errors.ts';
import type { Webhook } from '../storage/webhooks/webhooks.ts';

/**
 * What the reads answer: a webhook's view and its 404. Apart from the changes (webhook-changes.ts),
 * so a read's bundle carries no URL and secret checks (ipaddr.js: 12 KB, bench table 2).
 */

/** A webhook as the API and its events show it: no secrets, no tenant; the rotation overlap only while it lasts. */
export const webhookView = (webhook: Webhook, now = Date.now()): Record<string, unknown> => {
  const { secret: _s, previousSecret: _p, previousSecretExpiresAt, tenantId: _t, sequence: _q, ...view } = webhook;
  return previousSecretExpiresAt && Date.parse(previousSecretExpiresAt) > now ? { ...view, previousSecretExpiresAt } : view;
};

export const webhookNotFound = (id: string) => notFound(`Webhook '${id}' does not exist.`);
