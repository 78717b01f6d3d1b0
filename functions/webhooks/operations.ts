import * as z from 'zod/mini';
import type { ZodMiniType } from 'zod/mini';
import { limitParameter, type Operation, type ResponseSpec } from '../http/operation.ts';
import { MAX_FEED_PAGE } from '../storage/event-feed.ts';
import { Delivery, FeedPage, SecretRotation, Webhook, WebhookCreate, WebhookError, WebhookUpdate, WebhookWithSecret } from './schemas.ts';

const json = 'application/json';
export const WEBHOOKS_PATH = '/api/v1/webhooks';
export const EVENTS_PATH = '/api/v1/events';
const base = WEBHOOKS_PATH;
const error = (description: string): ResponseSpec => ({ description, schema: WebhookError });
const common = { 400: error('Bad Request'), 401: error('Unauthorized'), 403: error('Forbidden') };
const one = (description: string, schema: ZodMiniType = Webhook) => ({
  200: { description, schema, headers: { ETag: 'string' } },
  ...common,
  404: error('Not Found'),
});

/**
 * Webhook subscriptions (Standard Webhooks signatures, durable retries, a delivery log) and the
 * tenant's event feed: how consumers outside AWS receive every family's events.
 */
export const webhooks = {
  createWebhook: {
    name: 'createWebhook',
    family: 'webhooks',
    wholeTenant: true,
    method: 'POST',
    path: base,
    handler: 'functions/webhooks/create-webhook.ts',
    access: 'write',
    summary: 'Subscribes a URL to event types; answers the signing secret (Idempotency-Key honoured)',
    idempotent: true,
    sealsSecrets: true,
    responses: () => ({
      201: {
        description: 'The webhook, with its secret (shown only here and on rotation)',
        schema: WebhookWithSecret,
        headers: { Location: 'string', ETag: 'string' },
      },
      ...common,
      422: error('The tenant holds the most webhooks it may'),
    }),
    request: { body: { [json]: WebhookCreate } },
  },
  listWebhooks: {
    name: 'listWebhooks',
    family: 'webhooks',
    method: 'GET',
    path: base,
    handler: 'functions/webhooks/list-webhooks.ts',
    access: 'read',
    summary: "The tenant's webhooks (at most 100), without their secrets",
    responses: () => ({ 200: { description: 'Every webhook of the tenant', schema: z.array(Webhook) }, ...common }),
    request: { query: z.strictObject({}) },
  },
  getWebhook: {
    name: 'getWebhook',
    family: 'webhooks',
    method: 'GET',
    path: `${base}/{id}`,
    handler: 'functions/webhooks/get-webhook.ts',
    access: 'read',
    summary: 'One webhook, without its secrets',
    responses: () => one('The webhook'),
  },
  updateWebhook: {
    name: 'updateWebhook',
    family: 'webhooks',
    wholeTenant: true,
    method: 'PATCH',
    path: `${base}/{id}`,
    handler: 'functions/webhooks/update-webhook.ts',
    access: 'write',
    summary: 'Changes the URL, event types, description, or enables/disables (If-Match honoured)',
    responses: () => ({ ...one('The webhook'), 412: error('Precondition Failed') }),
    request: { body: { [json]: WebhookUpdate } },
  },
  deleteWebhook: {
    name: 'deleteWebhook',
    family: 'webhooks',
    method: 'DELETE',
    path: `${base}/{id}`,
    handler: 'functions/webhooks/delete-webhook.ts',
    access: 'write',
    summary: 'Deletes a webhook: its queued deliveries stop (If-Match honoured)',
    responses: () => ({ 204: { description: 'Deleted' }, ...common, 404: error('Not Found'), 412: error('Precondition Failed') }),
  },
  rotateWebhookSecret: {
    name: 'rotateWebhookSecret',
    family: 'webhooks',
    method: 'POST',
    path: `${base}/{id}/rotate-secret`,
    handler: 'functions/webhooks/rotate-webhook-secret.ts',
    access: 'write',
    sealsSecrets: true,
    summary: 'A new signing secret; the previous one keeps signing for overlapHours (24)',
    responses: () => ({ ...one('The webhook, with its new secret', WebhookWithSecret), 412: error('Precondition Failed') }),
    request: { body: { [json]: SecretRotation } },
  },
  listWebhookDeliveries: {
    name: 'listWebhookDeliveries',
    family: 'webhooks',
    method: 'GET',
    path: `${base}/{id}/deliveries`,
    handler: 'functions/webhooks/list-webhook-deliveries.ts',
    access: 'read',
    summary: 'The delivery log, newest first: each attempt with time, status code, latency, error (limit, cursor)',
    responses: () => ({
      200: { description: 'A page of deliveries', schema: z.array(Delivery), headers: { 'X-Next-Cursor': 'string' } },
      ...common,
      404: error('Not Found'),
    }),
    request: { query: z.strictObject({ limit: limitParameter(100, 20), cursor: z.optional(z.string()) }) },
  },
  redeliverWebhookDelivery: {
    name: 'redeliverWebhookDelivery',
    family: 'webhooks',
    method: 'POST',
    path: `${base}/{id}/deliveries/{deliveryId}/redeliver`,
    handler: 'functions/webhooks/redeliver-webhook-delivery.ts',
    access: 'write',
    summary: 'Delivers a logged event again, from the first attempt of the schedule',
    responses: () => ({
      202: { description: 'The delivery, queued again', schema: Delivery },
      ...common,
      404: error('Not Found'),
      409: error('The delivery is still under way'),
    }),
  },
  testWebhook: {
    name: 'testWebhook',
    family: 'webhooks',
    method: 'POST',
    path: `${base}/{id}/test`,
    handler: 'functions/webhooks/test-webhook.ts',
    access: 'write',
    summary: 'Sends a signed WebhookTest event to the URL once (a disabled webhook too); its outcome joins the delivery log',
    responses: () => ({
      202: { description: 'The test delivery, queued: follow it in the delivery log by its id', schema: Delivery },
      ...common,
      404: error('Not Found'),
    }),
  },
  listEvents: {
    name: 'listEvents',
    family: 'webhooks',
    wholeTenant: true,
    method: 'GET',
    path: EVENTS_PATH,
    handler: 'functions/webhooks/list-events.ts',
    access: 'read',
    summary: "The tenant's events in commit order, each once, after a position (after, types, limit)",
    responses: () => ({ 200: { description: 'A page of the feed and where to read on from', schema: FeedPage }, ...common }),
    request: {
      query: z.strictObject({
        after: z.optional(z.string()),
        /** Comma-separated event types. */
        types: z.optional(z.string()),
        limit: limitParameter(MAX_FEED_PAGE, 50),
      }),
    },
  },
} as const satisfies Record<string, Operation>;
