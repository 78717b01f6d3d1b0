/**
 * Webhooks and the event feed against DynamoDB Local, through the real handlers and the real
 * delivery worker: the feed's order, paging, settling and filtering across its shards; a day of
 * failures disabling a webhook; what a delivery does when its event is gone; the log's expiry;
 * concurrent changes of one webhook; the per-tenant limit.
 */
import { describe, expect, it, vi } from 'vitest';
import { createServer, type Server } from 'node:http';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

vi.hoisted(() => {
  process.env.ALLOW_LOOPBACK_CALLBACKS = 'true';
  process.env.WEBHOOK_CACHE_SECONDS = '0';
});

import { call, uniqueTenant } from '../../lib/local/direct-call.ts';
import * as createWebhook from '../../functions/webhooks/create-webhook.ts';
import * as getWebhook from '../../functions/webhooks/get-webhook.ts';
import * as updateWebhook from '../../functions/webhooks/update-webhook.ts';
import * as listDeliveries from '../../functions/webhooks/list-webhook-deliveries.ts';
import * as redeliver from '../../functions/webhooks/redeliver-webhook-delivery.ts';
import * as listEvents from '../../functions/webhooks/list-events.ts';
import { webhooks } from '../../functions/webhooks/operations.ts';
import { deliver } from '../../functions/webhooks/deliver-webhooks.ts';
import * as crmCreate from '../../functions/crm/create-customer.ts';
import { crm } from '../../functions/crm/operations.ts';
import { db, tableName } from '../../functions/storage/table/db.ts';
import { keys } from '../../functions/storage/table/keys.ts';
import { newEvent } from '../../functions/domain/event-envelope.ts';
import { eventItem } from '../../functions/storage/table/transactions.ts';
import { batchWrite } from '../../functions/storage/table/db.ts';
import { readFeed } from '../../functions/storage/event-feed.ts';
import { recordDelivery } from '../../functions/storage/webhooks/webhook-deliveries.ts';
import { MAX_WEBHOOKS } from '../../functions/storage/webhooks/webhooks.ts';
import { TTL_ATTRIBUTE } from '../../functions/storage/table/table-schema.ts';

/** A receiver on loopback answering `status`; counts what it got. */
const receiver = async (status: number): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> => {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits++;
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/hook`, hits: () => hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
};

/** Writes `count` events of `subjects` subjects straight into the table, as the changes' transactions would. */
const writeEvents = async (tenantId: string, subjects: number, count: number): Promise<string[]> => {
  const items = Array.from({ length: count }, (_, i) => {
    const subject = `s${i % subjects}`;
    const event = newEvent({
      source: 'rapport.crm',
      eventType: i % 2 === 0 ? 'CustomerUpdated' : 'TagAdded',
      tenantId,
      subject: { type: 'Customer', id: subject },
      sequence: Math.floor(i / subjects) + 1,
      actor: 'test',
      correlationId: 'c',
      data: { n: i },
    });
    return eventItem(keys.customer(tenantId, subject).pk, event);
  });
  await batchWrite(items.map((Item) => ({ PutRequest: { Item } })));
  return items.map((item) => String(item.eventId));
};

const later = (seconds: number) => Date.now() + seconds * 1000;

describe('the event feed', () => {
  it('hands out every event once, in the order written, across its shards, a bounded page at a time', async () => {
    const tenantId = uniqueTenant();
    const written = await writeEvents(tenantId, 13, 60);
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await readFeed(tenantId, { limit: 7, now: later(60), ...(after ? { after } : {}) });
      pages++;
      expect(page.events.length).toBeLessThanOrEqual(7);
      seen.push(...page.events.map((e) => e.eventId));
      after = page.next;
      if (!page.more) break;
    }
    expect(seen).toEqual(written);
    expect(pages).toBe(Math.ceil(60 / 7));
    // Nothing after the end, and the end stays where it is.
    const end = await readFeed(tenantId, { limit: 7, after, now: later(61) });
    expect(end.events).toEqual([]);
    expect(end.more).toBe(false);
  });

  it('holds back what was written within the settle time, so no reader passes an event still being indexed', async () => {
    const tenantId = uniqueTenant();
    const [first, second] = await writeEvents(tenantId, 2, 2);
    expect((await readFeed(tenantId, { limit: 10 })).events).toEqual([]);
    const settled = await readFeed(tenantId, { limit: 10, now: later(30) });
    expect(settled.events.map((e) => e.eventId)).toEqual([first, second]);
  });

  it('filters by type with short pages that still move on, and refuses a position it cannot have given out', async () => {
    const tenantId = uniqueTenant();
    await writeEvents(tenantId, 5, 40);
    const tags: string[] = [];
    let after: string | undefined;
    for (let guard = 0; guard < 50; guard++) {
      const page = await readFeed(tenantId, { limit: 3, types: ['TagAdded'], now: later(60), ...(after ? { after } : {}) });
      tags.push(...page.events.map((e) => e.eventType));
      after = page.next;
      if (!page.more) break;
    }
    expect(tags).toEqual(Array(20).fill('TagAdded'));
    const refused = await call(listEvents.handler, webhooks.listEvents, { tenant: tenantId, query: { after: 'T#x#CUSTOMER' } });
    expect(refused.status).toBe(400);
  });

  it('shows an event the moment a merge moves it only once (the index briefly holds both copies)', async () => {
    const tenantId = uniqueTenant();
    const [id] = await writeEvents(tenantId, 1, 1);
    const page = await readFeed(tenantId, { limit: 5, now: later(30) });
    const original = (
      await db.send(
        new UpdateCommand({
          TableName: tableName(),
          Key: { pk: keys.customer(tenantId, 's0').pk, sk: `EVENT#${id}` },
          UpdateExpression: 'SET x = :x',
          ExpressionAttributeValues: { ':x': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      )
    ).Attributes!;
    await db.send(new PutCommand({ TableName: tableName(), Item: { ...original, pk: keys.customer(tenantId, 'survivor').pk, entity: 'MOVED_EVENT' } }));
    const during = await readFeed(tenantId, { limit: 5, now: later(30) });
    expect(during.events.map((e) => e.eventId)).toEqual(page.events.map((e) => e.eventId));
  });
});

describe('webhook deliveries', () => {
  it('disables a webhook after a day in which every delivery failed, with its WebhookDisabled event', async () => {
    const tenant = uniqueTenant();
    const target = await receiver(400);
    try {
      const webhook = await call(createWebhook.handler, webhooks.createWebhook, { tenant, body: { url: target.url, eventTypes: ['CustomerCreated'] } });
      expect(webhook.status).toBe(201);
      await db.send(
        new PutCommand({
          TableName: tableName(),
          Item: {
            ...keys.webhookHealth(tenant, webhook.body.id),
            entity: 'WEBHOOK_HEALTH',
            id: webhook.body.id,
            failingSince: new Date(Date.now() - 25 * 3_600_000).toISOString(),
          },
        }),
      );
      const customer = await call(crmCreate.handler, crm.createCrmCustomer, { tenant, body: { name: 'Failing', type: 'PERSON' } });
      const event = await findEvent(tenant, customer.body.id);
      await deliver({ tenantId: tenant, webhookId: webhook.body.id, eventId: event.eventId, eventType: 'CustomerCreated', event: event.ref, attempt: 1 });
      expect(target.hits()).toBe(1);
      const read = await call(getWebhook.handler, webhooks.getWebhook, { tenant, params: { id: webhook.body.id } });
      expect(read.body).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/every delivery has failed since/), version: 2 });
      const feed = await readFeed(tenant, { limit: 20, types: ['WebhookDisabled'], now: later(30) });
      expect(feed.events).toHaveLength(1);
      // A disabled webhook gets nothing; the delivery is logged as skipped.
      await deliver({ tenantId: tenant, webhookId: webhook.body.id, eventId: event.eventId, eventType: 'CustomerCreated', event: event.ref, attempt: 1 });
      expect(target.hits()).toBe(1);
      const log = await call(listDeliveries.handler, webhooks.listWebhookDeliveries, { tenant, params: { id: webhook.body.id } });
      expect(log.body[0]).toMatchObject({ status: 'skipped', attempts: [expect.objectContaining({ statusCode: 400 })] });
    } finally {
      await target.close();
    }
  });

  it('gives up after the last attempt of the schedule, and drops a delivery whose event is gone (erased)', async () => {
    const tenant = uniqueTenant();
    const target = await receiver(503);
    try {
      const webhook = await call(createWebhook.handler, webhooks.createWebhook, { tenant, body: { url: target.url, eventTypes: ['*'] } });
      const customer = await call(crmCreate.handler, crm.createCrmCustomer, { tenant, body: { name: 'Last try', type: 'PERSON' } });
      const event = await findEvent(tenant, customer.body.id);
      await deliver({ tenantId: tenant, webhookId: webhook.body.id, eventId: event.eventId, eventType: 'CustomerCreated', event: event.ref, attempt: 8 });
      let log = await call(listDeliveries.handler, webhooks.listWebhookDeliveries, { tenant, params: { id: webhook.body.id } });
      expect(log.body[0]).toMatchObject({ status: 'failed', reason: 'no attempt of 8 succeeded', attempts: [expect.objectContaining({ statusCode: 503 })] });
      await deliver({
        tenantId: tenant,
        webhookId: webhook.body.id,
        eventId: 'GONE',
        eventType: 'CustomerCreated',
        event: { pk: event.ref.pk, sk: 'EVENT#GONE' },
        attempt: 1,
      });
      log = await call(listDeliveries.handler, webhooks.listWebhookDeliveries, { tenant, params: { id: webhook.body.id } });
      expect(log.body.find((d: { id: string }) => d.id === 'GONE')).toMatchObject({
        status: 'dropped',
        reason: expect.stringMatching(/no longer stored/),
        attempts: [],
      });
      expect(target.hits()).toBe(1);
    } finally {
      await target.close();
    }
  });

  it('forgets a delivery once its log entry expires: not listed, not redeliverable', async () => {
    const tenant = uniqueTenant();
    const webhook = await call(createWebhook.handler, webhooks.createWebhook, { tenant, body: { url: 'https://hooks.example.com/a', eventTypes: ['*'] } });
    const entry = { tenantId: tenant, webhookId: webhook.body.id, eventType: 'CustomerCreated', event: { pk: 'p', sk: 's' } };
    await recordDelivery({ ...entry, eventId: 'OLD', status: 'failed', attempt: { at: new Date().toISOString(), statusCode: 500, latencyMs: 3 } });
    await recordDelivery({ ...entry, eventId: 'NEW', status: 'delivered', attempt: { at: new Date().toISOString(), statusCode: 200, latencyMs: 3 } });
    await db.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.webhookDelivery(tenant, webhook.body.id, 'OLD'),
        UpdateExpression: 'SET #ttl = :past',
        ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 1 },
      }),
    );
    const log = await call(listDeliveries.handler, webhooks.listWebhookDeliveries, { tenant, params: { id: webhook.body.id } });
    expect(log.body.map((d: { id: string }) => d.id)).toEqual(['NEW']);
    expect((await call(redeliver.handler, webhooks.redeliverWebhookDelivery, { tenant, params: { id: webhook.body.id, deliveryId: 'OLD' } })).status).toBe(404);
  });

  it('keeps both of two concurrent changes of one webhook, and holds a tenant to its limit', async () => {
    const tenant = uniqueTenant();
    const webhook = await call(createWebhook.handler, webhooks.createWebhook, { tenant, body: { url: 'https://hooks.example.com/b', eventTypes: ['*'] } });
    const params = { id: webhook.body.id };
    const [a, b] = await Promise.all([
      call(updateWebhook.handler, webhooks.updateWebhook, { tenant, params, body: { description: 'billing' } }),
      call(updateWebhook.handler, webhooks.updateWebhook, { tenant, params, body: { eventTypes: ['CustomerCreated'] } }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const read = await call(getWebhook.handler, webhooks.getWebhook, { tenant, params });
    expect(read.body).toMatchObject({ description: 'billing', eventTypes: ['CustomerCreated'], version: 3 });
    for (let i = 1; i < MAX_WEBHOOKS; i++)
      expect(
        (await call(createWebhook.handler, webhooks.createWebhook, { tenant, body: { url: `https://hooks.example.com/${i}`, eventTypes: ['*'] } })).status,
      ).toBe(201);
    const over = await call(createWebhook.handler, webhooks.createWebhook, { tenant, body: { url: 'https://hooks.example.com/over', eventTypes: ['*'] } });
    expect(over.status).toBe(422);
  });
});

/** The stored CustomerCreated event of a customer and where it is. */
const findEvent = async (tenantId: string, customerId: string) => {
  const feed = await readFeed(tenantId, { limit: 20, types: ['CustomerCreated'], now: later(30) });
  const event = feed.events.find((e) => e.subject.id === customerId)!;
  return { eventId: event.eventId, ref: { pk: keys.customer(tenantId, customerId).pk, sk: `EVENT#${event.eventId}` } };
};
