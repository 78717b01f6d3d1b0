import * as z from 'zod/mini';
import { newEvent, type PendingEvent } from '../domain/event-envelope.ts';

/**
 * The events of webhook subscriptions themselves (`rapport.webhooks`): every change of one, and the
 * delivery worker disabling one. They are published, in the feed and deliverable like any other.
 */
export const WEBHOOK_SOURCE = 'rapport.webhooks';

export const WEBHOOK_EVENT_TYPES = ['WebhookCreated', 'WebhookUpdated', 'WebhookSecretRotated', 'WebhookDeleted', 'WebhookDisabled'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** A webhook subscription as the API and its events show it: everything but its secrets. */
export const WebhookView = z.object({
  id: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  description: z.optional(z.string()),
  enabled: z.boolean(),
  disabledReason: z.optional(z.string()),
  disabledAt: z.optional(z.string()),
  /** When the previous secret stops signing (a rotation's overlap), while it still does. */
  previousSecretExpiresAt: z.optional(z.string()),
  /** Since when every delivery has failed (gone at the next success); a day of it disables the subscription. */
  failingSince: z.optional(z.string()),
  version: z.number(),
  created: z.string(),
  createdBy: z.string(),
  updated: z.string(),
  updatedBy: z.string(),
});

export const webhookEvent = (input: {
  eventType: WebhookEventType;
  tenantId: string;
  webhookId: string;
  sequence: number;
  actor: string;
  correlationId: string;
  data: Record<string, unknown>;
}): PendingEvent =>
  newEvent({
    source: WEBHOOK_SOURCE,
    eventType: input.eventType,
    tenantId: input.tenantId,
    subject: { type: 'Webhook', id: input.webhookId },
    sequence: input.sequence,
    actor: input.actor,
    correlationId: input.correlationId,
    data: input.data,
  });
