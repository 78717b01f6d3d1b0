import * as z from 'zod/mini';
import { newEvent, type EventEnvelope, type PendingEvent } from '../domain/event-envelope.ts';

/**
 * The events of webhook subscriptions themselves (`rapport.webhooks`): every change of one, and the
 * delivery worker disabling one. They are published, in the feed and deliverable like any other.
 */
export const WEBHOOK_SOURCE = 'rapport.webhooks';

export const WEBHOOK_EVENT_TYPES = ['WebhookCreated', 'WebhookUpdated', 'WebhookSecretRotated', 'WebhookDeleted', 'WebhookDisabled'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The event type of a test delivery (`POST /api/v1/webhooks/{id}/test`): sent to one webhook when asked, never published nor in the feed. */
export const WEBHOOK_TEST_EVENT = 'WebhookTest';

/**
 * The event a test delivery sends: the envelope every event has, about the webhook itself, with
 * sequence 0 (outside the webhook's own events' sequence: a consumer orders nothing by it).
 */
export const webhookTestEvent = (test: {
  eventId: string;
  tenantId: string;
  webhookId: string;
  url: string;
  actor: string;
  correlationId: string;
  eventTime: string;
}): EventEnvelope<{ message: string; url: string }> & { source: string } => ({
  source: WEBHOOK_SOURCE,
  eventId: test.eventId,
  eventTime: test.eventTime,
  eventType: WEBHOOK_TEST_EVENT,
  tenantId: test.tenantId,
  subject: { type: 'Webhook', id: test.webhookId },
  sequence: 0,
  actor: test.actor,
  correlationId: test.correlationId,
  data: { message: 'A test delivery from Rapport: answer 2xx to show this URL receives and verifies its events.', url: test.url },
});

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
