/**
 * Signing secrets at rest, against DynamoDB Local and the local runtime's KMS, through the real
 * handlers: every secret written — webhooks created (with an Idempotency-Key too) and rotated, TMF
 * hub registrations of every generation — is sealed, so a scan of the whole table finds none; the
 * worker and the notifier still sign with them; a sealed secret copied to another record opens
 * nowhere; data keys are kept per function instance within their bounds.
 */
import { describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.ALLOW_LOOPBACK_CALLBACKS = 'true';
  process.env.WEBHOOK_CACHE_SECONDS = '0';
  process.env.HUB_CACHE_SECONDS = '0';
});

import { Webhook as Verifier } from 'standardwebhooks';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { call, uniqueTenant } from '../../lib/local/direct-call.ts';
import * as createWebhook from '../../functions/webhooks/create-webhook.ts';
import * as rotateSecret from '../../functions/webhooks/rotate-webhook-secret.ts';
import { webhooks } from '../../functions/webhooks/operations.ts';
import { deliver } from '../../functions/webhooks/deliver-webhooks.ts';
import * as registerV3 from '../../functions/tmf629/v3/register-listener.ts';
import * as registerV4 from '../../functions/tmf629/register-listener.ts';
import * as registerV5 from '../../functions/tmf629/v5/register-listener.ts';
import { tmf629, tmf629v3, tmf629v5 } from '../../functions/tmf629/operations.ts';
import { newWebhookSecret } from '../../functions/events/signing.ts';
import { newEvent } from '../../functions/domain/event-envelope.ts';
import { eventItem } from '../../functions/storage/table/transactions.ts';
import { batchWrite, db, tableName } from '../../functions/storage/table/db.ts';
import { keys } from '../../functions/storage/table/keys.ts';
import { DATA_KEY_USES, kms, sealSecret } from '../../functions/storage/table/sealed-secrets.ts';
import { startListener, type Listener } from '../support/http.ts';
import { ownTable, scanTable } from '../support/own-table.ts';
import { notifyTmfEvent } from '../support/tmf-notifier.ts';

const { table } = ownTable('secrets');

/** KMS requests the functions' client sends, by command name. */
const kmsRequests: string[] = [];
kms.middlewareStack.add(
  (next, context) => async (args) => {
    kmsRequests.push(String(context.commandName));
    return next(args);
  },
  { step: 'initialize', name: 'kmsRequestCounter' },
);
const kmsCount = (command: string): number => kmsRequests.filter((c) => c === command).length;

/** A stored event of the tenant (as a change's transaction writes it) and the delivery message of it for a webhook. */
const storedEvent = async (tenantId: string, webhookId: string) => {
  const { source: _s, ...event } = newEvent({
    source: 'rapport.crm',
    eventType: 'CustomerUpdated',
    tenantId,
    subject: { type: 'Customer', id: 'c1' },
    sequence: 1,
    actor: 'test',
    correlationId: 'c',
    data: {},
  });
  const item = eventItem(keys.customer(tenantId, 'c1').pk, { source: 'rapport.crm', ...event });
  await batchWrite([{ PutRequest: { Item: item } }]);
  const { eventId, eventType } = event.envelope;
  return { tenantId, webhookId, eventId, eventType, event: { pk: String(item.pk), sk: String(item.sk) }, attempt: 1 };
};

/** Does a secret verify what a listener got (standardwebhooks throws on a bad signature)? */
const verifies = (secret: string, received: Listener['received'][number]): boolean => {
  try {
    new Verifier(secret).verify(received.raw, received.headers);
    return true;
  } catch {
    return false;
  }
};
const lastVerifies = (listener: Listener, secret: string): boolean => verifies(secret, listener.received.at(-1)!);

/** The forms a secret could be stored in: as given, its base64 body, its bytes in hex and base64url. */
const formsOf = (secret: string): string[] => {
  const body = secret.slice('whsec_'.length);
  const bytes = Buffer.from(body, 'base64');
  return [secret, body, bytes.toString('hex'), bytes.toString('base64url')];
};

describe('signing secrets at rest', () => {
  it('stores no secret readable: a scan of the whole table after creating, replaying, rotating and registering finds none, and deliveries still verify', async () => {
    const tenant = uniqueTenant();
    const receiver = await startListener((_req, res) => res.writeHead(204).end());
    try {
      // Webhooks: a made secret (with an Idempotency-Key, replayed), the caller's own, each rotated.
      const body = { url: receiver.url, eventTypes: ['*'] };
      const made = await call(createWebhook.handler, webhooks.createWebhook, { tenant, headers: { 'idempotency-key': 'create-1' }, body });
      expect(made.status).toBe(201);
      const replayed = await call(createWebhook.handler, webhooks.createWebhook, { tenant, headers: { 'idempotency-key': 'create-1' }, body });
      expect(replayed).toMatchObject({ status: 201, body: { id: made.body.id, secret: made.body.secret } });
      const own = newWebhookSecret();
      const chosen = await call(createWebhook.handler, webhooks.createWebhook, { tenant, body: { ...body, secret: own } });
      expect(chosen.body.secret).toBe(own);
      const rotated = await call(rotateSecret.handler, webhooks.rotateWebhookSecret, { tenant, params: { id: made.body.id }, body: {} });
      expect(rotated.status).toBe(200);
      const ownNext = newWebhookSecret();
      const rotatedOwn = await call(rotateSecret.handler, webhooks.rotateWebhookSecret, {
        tenant,
        params: { id: chosen.body.id },
        body: { secret: ownNext, overlapHours: 0 },
      });
      expect(rotatedOwn.body.secret).toBe(ownNext);
      // TMF hub registrations with secrets, in every generation.
      const hubSecrets = [newWebhookSecret(), newWebhookSecret(), newWebhookSecret()];
      const hubs = [
        await call(registerV3.handler, tmf629v3.registerListener, { tenant, body: { callback: receiver.url, secret: hubSecrets[0] } }),
        await call(registerV4.handler, tmf629.registerListener, { tenant, body: { callback: receiver.url, secret: hubSecrets[1] } }),
        await call(registerV5.handler, tmf629v5.registerListener, { tenant, body: { callback: receiver.url, '@type': 'Hub', secret: hubSecrets[2] } }),
      ];
      expect(hubs.map((h) => h.status)).toEqual([201, 201, 201]);

      // The worker signs with the opened secrets: the new and, during the overlap, the previous one.
      await deliver(await storedEvent(tenant, made.body.id));
      expect(lastVerifies(receiver, rotated.body.secret)).toBe(true);
      expect(lastVerifies(receiver, made.body.secret)).toBe(true);
      await deliver(await storedEvent(tenant, chosen.body.id));
      expect(lastVerifies(receiver, ownNext)).toBe(true);
      expect(lastVerifies(receiver, own)).toBe(false);
      // The notifier signs each registration's notification with its own secret.
      expect(await notifyTmfEvent(tenant, 'c1')).toMatchObject({ delivered: 3, failed: 0 });
      const notifications = receiver.received.slice(-3);
      for (const secret of hubSecrets) expect(notifications.filter((n) => verifies(secret, n))).toHaveLength(1);

      const items = (await scanTable(table)).map((item) => JSON.stringify(item));
      expect(items.length).toBeGreaterThan(10);
      expect(items.filter((item) => item.includes('whsec_'))).toEqual([]);
      for (const secret of [made.body.secret, rotated.body.secret, own, ownNext, ...hubSecrets])
        for (const form of formsOf(secret)) expect(items.filter((item) => item.includes(form))).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('binds a sealed secret to its record: copied to another webhook it opens nowhere, and that webhook sends nothing', async () => {
    const tenant = uniqueTenant();
    const receiver = await startListener((_req, res) => res.writeHead(204).end());
    try {
      const body = { url: receiver.url, eventTypes: ['*'] };
      const first = await call(createWebhook.handler, webhooks.createWebhook, { tenant, body });
      const second = await call(createWebhook.handler, webhooks.createWebhook, { tenant, body });
      const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: keys.webhook(tenant, first.body.id) }));
      await db.send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.webhook(tenant, second.body.id),
          UpdateExpression: 'SET secret = :moved',
          ExpressionAttributeValues: { ':moved': Item!.secret },
        }),
      );
      await expect(deliver(await storedEvent(tenant, second.body.id))).rejects.toThrow();
      expect(receiver.received).toHaveLength(0);
      await deliver(await storedEvent(tenant, first.body.id));
      expect(lastVerifies(receiver, first.body.secret)).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('keeps data keys per function instance: one per record for its bounded uses when sealing, one decryption for every delivery of a webhook', async () => {
    const tenant = uniqueTenant();
    const receiver = await startListener((_req, res) => res.writeHead(204).end());
    try {
      const made = kmsCount('GenerateDataKeyCommand');
      const webhook = await call(createWebhook.handler, webhooks.createWebhook, { tenant, body: { url: receiver.url, eventTypes: ['*'] } });
      // The webhook's secret and the answer kept for a replay are sealed for two records.
      expect(kmsCount('GenerateDataKeyCommand') - made).toBe(2);
      for (let i = 0; i < 3; i++)
        expect((await call(rotateSecret.handler, webhooks.rotateWebhookSecret, { tenant, params: { id: webhook.body.id }, body: {} })).status).toBe(200);
      expect(kmsCount('GenerateDataKeyCommand') - made).toBe(2);
      const opened = kmsCount('DecryptCommand');
      for (let i = 0; i < 4; i++) await deliver(await storedEvent(tenant, webhook.body.id));
      expect(receiver.received).toHaveLength(4);
      expect(kmsCount('DecryptCommand') - opened).toBe(1);
      // A data key seals at most DATA_KEY_USES secrets.
      const owner = { tenantId: tenant, record: 'hub' as const, id: 'bounded' };
      const before = kmsCount('GenerateDataKeyCommand');
      for (let i = 0; i < DATA_KEY_USES * 2; i++) await sealSecret(newWebhookSecret(), owner);
      expect(kmsCount('GenerateDataKeyCommand') - before).toBe(2);
    } finally {
      await receiver.close();
    }
  });
});
