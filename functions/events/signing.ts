import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { WEBHOOK_SECRET_PREFIX } from '../domain/webhook-secret.ts';

/** A new signing secret: 32 random bytes, in the Standard Webhooks format. */
export const newWebhookSecret = (): string => `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

/**
 * The Standard Webhooks headers of a delivery: `webhook-id` (the event id: the same on every
 * retry, so receivers dedupe on it), `webhook-timestamp` (seconds) and `webhook-signature`, one
 * `v1,<base64 HMAC-SHA256 of id.timestamp.body>` per secret, space-separated — during a rotation
 * both the new and the previous secret sign, and a receiver holding either verifies.
 */
export const signatureHeaders = (secrets: readonly string[], id: string, at: Date, body: string): Record<string, string> => ({
  'webhook-id': id,
  'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
  'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(' '),
});
