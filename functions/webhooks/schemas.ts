import * as z from 'zod/mini';
import { EVENT_TYPE_NAMES } from './event-types.ts';
import { WebhookView } from '../events/webhook-events.ts';
import { MAX_LOGGED_ATTEMPTS } from '../storage/webhooks/webhook-deliveries.ts';

/** Every event type, and `*` for all of them. */
const EventTypeName = z.lazy(() => z.enum(['*', ...EVENT_TYPE_NAMES]));
const EventTypeList = z.lazy(() => z.array(EventTypeName).check(z.minLength(1), z.maxLength(EVENT_TYPE_NAMES.length + 1)));

const Url = z.lazy(() => z.string().check(z.minLength(1), z.maxLength(2048)));
const Description = z.lazy(() => z.string().check(z.maxLength(500)));
/** A Standard Webhooks secret the caller chooses (checked in full by the handler); one is made otherwise. */
const Secret = z.lazy(() => z.string().check(z.maxLength(200)));

export const WebhookCreate = z.lazy(() =>
  z.strictObject({
    url: Url,
    eventTypes: EventTypeList,
    description: z.optional(Description),
    enabled: z.optional(z.boolean()),
    secret: z.optional(Secret),
  }),
);

export const WebhookUpdate = z.lazy(() =>
  z.strictObject({
    url: z.optional(Url),
    eventTypes: z.optional(EventTypeList),
    description: z.optional(z.nullable(Description)),
    /** true re-enables a disabled webhook (and forgets its failures); false disables it. */
    enabled: z.optional(z.boolean()),
  }),
);

export const SecretRotation = z.lazy(() =>
  z.strictObject({
    /** Hours the previous secret keeps signing beside the new one (0 to 168; 24 by default). */
    overlapHours: z.optional(z.int().check(z.minimum(0), z.maximum(168))),
    secret: z.optional(Secret),
  }),
);

export { WebhookView as Webhook };
/** A webhook as its creation and a rotation answer: with its signing secret, shown only then. */
export const WebhookWithSecret = z.lazy(() => z.extend(WebhookView, { secret: z.string() }));

export const DeliveryAttempt = z.lazy(() =>
  z.object({
    at: z.string(),
    statusCode: z.optional(z.int()),
    latencyMs: z.number(),
    error: z.optional(z.string()),
    redelivery: z.optional(z.boolean()),
  }),
);

export const Delivery = z.lazy(() =>
  z.object({
    id: z.string(),
    webhookId: z.string(),
    eventType: z.string(),
    status: z.enum(['pending', 'retrying', 'delivered', 'failed', 'dropped', 'skipped']),
    attempts: z.array(DeliveryAttempt).check(z.maxLength(MAX_LOGGED_ATTEMPTS)),
    nextAttemptAt: z.optional(z.string()),
    reason: z.optional(z.string()),
    /** A test delivery (POST /api/v1/webhooks/{id}/test): its WebhookTest event made for it, sent once. */
    test: z.optional(z.boolean()),
    created: z.string(),
    updated: z.string(),
  }),
);

/** An event as the feed and webhook deliveries carry it: the envelope every event has, and its source. */
export const FeedEvent = z.lazy(() =>
  z.looseObject({
    source: z.string(),
    eventId: z.string(),
    eventTime: z.string(),
    eventType: z.string(),
    tenantId: z.string(),
    subject: z.object({ type: z.string(), id: z.string() }),
    sequence: z.int(),
    actor: z.string(),
    correlationId: z.string(),
    data: z.unknown(),
  }),
);

export const FeedPage = z.lazy(() => z.object({ events: z.array(FeedEvent), next: z.string(), more: z.boolean() }));

export const WebhookError = z.lazy(() => z.object({ title: z.string(), detail: z.string(), time: z.string() }));
