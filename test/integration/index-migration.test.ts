import { readFeed } from '../../functions/storage/event-feed.ts';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.ALLOW_LOOPBACK_CALLBACKS = 'true';
  process.env.WEBHOOK_CACHE_SECONDS = '0';
  process.env.HUB_CACHE_SECONDS = '0';
});

import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook as Verifier } from 'standardwebhooks';
import { upgradeTable } from '../../lib/local/dynamodb-local.ts';
import { backfillOnce } from '../../lib/local/local-backfill.ts';
import { batchWrite, db, tableName } from '../../functions/storage/table/db.ts';
import { backfill } from '../../functions/storage/backfill.ts';
import { INDEXES, LEGACY_INDEXES } from '../../functions/storage/table/table-schema.ts';
import { keys } from '../../functions/storage/table/keys.ts';
import { listSubscriptions } from '../../functions/storage/subscriptions.ts';
import { handler as listCustomer } from '../../functions/tmf629/list-customer.ts';
import { handler as createCustomer } from '../../functions/crm/create-customer.ts';
import { handler as listByOwner } from '../../functions/crm/list-customers-by-owner.ts';
import { handler as listOverdue } from '../../functions/crm/list-overdue-actions.ts';
import { handler as sweep } from '../../functions/schedules/due-sweep.ts';
import { handler as updateStatus } from '../../functions/crm/update-status.ts';
import { handler as patchCustomer } from '../../functions/tmf629/patch-customer.ts';
import { tmf629 } from '../../functions/tmf629/operations.ts';
import { crm } from '../../functions/crm/operations.ts';
import { call, lambdaContext, uniqueTenant } from '../../lib/local/direct-call.ts';
import { handler as findDuplicates } from '../../functions/crm/find-duplicates.ts';
import { handler as updateCustomer } from '../../functions/crm/update-customer.ts';
import { handler as exportCustomer } from '../../functions/crm/export-customer.ts';
import { handler as createPlan } from '../../functions/bian-crm/create.ts';
import { bianCrm } from '../../functions/bian-crm/operations.ts';
import { handler as createWebhook } from '../../functions/webhooks/create-webhook.ts';
import { webhooks } from '../../functions/webhooks/operations.ts';
import { deliver } from '../../functions/webhooks/deliver-webhooks.ts';
import { handler as registerListener } from '../../functions/tmf629/register-listener.ts';
import { newWebhookSecret } from '../../functions/events/signing.ts';
import { newEvent } from '../../functions/domain/event-envelope.ts';
import { eventItem } from '../../functions/storage/table/transactions.ts';
import { MATCH_ENTITY } from '../../functions/storage/customers/match-keys.ts';
import { PLAN_LINK_ENTITY } from '../../functions/storage/bian/plan-links.ts';
import { startListener } from '../support/http.ts';
import { ownTable, scanTable } from '../support/own-table.ts';
import { notifyTmfEvent } from '../support/tmf-notifier.ts';

/** An item as the code before the scale work wrote it: six ALL-projected indexes, one partition per tenant. */
const legacyCustomer = (tenant: string, n: number, extra: Record<string, unknown> = {}) => {
  const id = randomUUID();
  const pk = `T#${tenant}#CUSTOMER#${id}`;
  const name = `Legacy ${'EDCBA'[n]}`;
  const createdAt = new Date(Date.UTC(2024, 0, 1 + n)).toISOString();
  const due = extra.nextActionDueDate as string | undefined;
  return {
    pk,
    sk: 'CUSTOMER',
    entity: 'CUSTOMER',
    id,
    tenantId: tenant,
    name,
    '@type': 'Customer',
    crmStatus: 'LEAD',
    ownerId: 'ann',
    version: 1,
    sequence: 1,
    createdAt,
    createdBy: 'old',
    updatedAt: createdAt,
    updatedBy: 'old',
    engagedParty: { id: `p${n}`, '@referredType': 'Organization' },
    gsi1pk: `T#${tenant}#CUSTOMER`,
    gsi1sk: `${createdAt}#${id}`,
    gsi2pk: `T#${tenant}#CUSTOMER#NAME`,
    gsi2sk: `${name.toLowerCase()}#${id}`,
    gsi3pk: `T#${tenant}#OWNER#ann`,
    gsi3sk: `${name.toLowerCase()}#${id}`,
    gsi4pk: `T#${tenant}#CRMSTATUS#LEAD`,
    gsi4sk: `${name.toLowerCase()}#${id}`,
    ...(due
      ? {
          gsi5pk: `T#${tenant}#NEXTACTION`,
          gsi5sk: `${due}#${id}`,
          gsi6pk: `DUE#${createHash('sha256').update(pk).digest()[0]! % 4}`,
          gsi6sk: `${due}#${pk}#CUSTOMER`,
        }
      : {}),
    ...extra,
  };
};

const OLD_EVENT_ID = '01HKZ3Q0000000000000000000';
const LEGACY_HUB_SECRET = newWebhookSecret();

describe('moving a table of the legacy index layout to the current one (DynamoDB Local)', () => {
  // The file's handlers read the migrated table.
  const { client, table } = ownTable('legacy', LEGACY_INDEXES);
  const tenant = uniqueTenant();
  const customers = [0, 1, 2, 3, 4].map((n) => legacyCustomer(tenant, n, n === 1 ? { nextAction: 'Call', nextActionDueDate: '2021-03-01T09:00:00.000Z' } : {}));

  beforeAll(async () => {
    const activityPk = customers[0]!.pk;
    const items = [
      ...customers,
      {
        pk: activityPk,
        sk: 'ACTIVITY#01',
        entity: 'ACTIVITY',
        id: '01',
        customerId: customers[0]!.id,
        tenantId: tenant,
        type: 'CALL',
        subject: 's',
        dueDate: '2021-01-01T00:00:00.000Z',
        version: 1,
        sequence: 1,
        gsi6pk: 'DUE#1',
        gsi6sk: `2021-01-01T00:00:00.000Z#${activityPk}#ACTIVITY#01`,
      },
      {
        pk: `T#${tenant}#HUB#h1`,
        sk: 'HUB',
        entity: 'SUBSCRIPTION',
        id: 'h1',
        tenantId: tenant,
        callback: 'https://example.com/cb',
        secret: LEGACY_HUB_SECRET,
        createdAt: '2024-01-01T00:00:00.000Z',
        createdBy: 'old',
        gsi1pk: `T#${tenant}#HUB`,
        gsi1sk: '2024-01-01T00:00:00.000Z#h1',
      },
      { pk: `T#${tenant}#CASESTATS`, sk: 'STATS', entity: 'CASESTATS', open_low: 2, resolved_high: 1, resolutionSeconds_high: 3600 },
      // An event written before the event feed: no feed keys.
      {
        pk: customers[0]!.pk,
        sk: `EVENT#${OLD_EVENT_ID}`,
        entity: 'EVENT',
        eventId: OLD_EVENT_ID,
        source: 'rapport.crm',
        detailType: 'CustomerCreated',
        createdAt: '2024-01-01T00:00:00.000Z',
        detail: {
          eventId: OLD_EVENT_ID,
          eventTime: '2024-01-01T00:00:00.000Z',
          eventType: 'CustomerCreated',
          tenantId: tenant,
          subject: { type: 'Customer', id: customers[0]!.id },
          sequence: 1,
          actor: 'old',
          correlationId: 'c',
          data: {},
        },
      },
    ];
    await db.send(new BatchWriteCommand({ RequestItems: { [table]: items.map((Item) => ({ PutRequest: { Item } })) } }));
  });

  it('adds each index, backfills, drops each legacy index, and every list and count then works', async () => {
    // The current code changing a customer the counters do not know yet (as during the deploys before the backfill): no count moves.
    const renamed = await call(patchCustomer, tmf629.patchCustomer, {
      tenant,
      params: { id: customers[4]!.id },
      body: { name: 'Legacy Z' },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(renamed.status).toBe(200);
    const result = await upgradeTable(client, table);
    expect(result.created).toEqual(INDEXES.map((i) => i.name));
    expect(result.deleted).toEqual(LEGACY_INDEXES.map((i) => i.name));
    // Four customers still carry legacy keys; the renamed one lost them when the current code wrote it.
    expect(result.backfill).toMatchObject({
      customersCounted: 5,
      dueEntriesMoved: 1,
      subscriptionsMoved: 1,
      statisticsMoved: 1,
      eventsAddedToFeed: 1,
      legacyKeysRemoved: 4,
      // The hub's plain-text secret was sealed as it moved.
      secretsSealed: 1,
    });
    const indexes = (await client.send(new DescribeTableCommand({ TableName: table }))).Table!.GlobalSecondaryIndexes!.map((i) => i.IndexName);
    expect(indexes.sort()).toEqual(INDEXES.map((i) => i.name).sort());

    // A customer written by the current code beside the migrated ones.
    await call(createCustomer, crm.createCrmCustomer, { tenant, body: { name: 'Legacy F', type: 'PERSON', ownerId: 'ann' } });
    const list = await call(listCustomer, tmf629.listCustomer, { tenant });
    expect(list.body.map((c: { name: string }) => c.name)).toEqual(['Legacy B', 'Legacy C', 'Legacy D', 'Legacy E', 'Legacy F', 'Legacy Z']);
    expect(list.headers['x-total-count']).toBe('6');
    expect((await call(listCustomer, tmf629.listCustomer, { tenant, query: { name: 'Legacy C' } })).headers['x-total-count']).toBe('1');
    // The renamed one was counted once, under its new name.
    expect((await call(listCustomer, tmf629.listCustomer, { tenant, query: { name: 'Legacy Z' } })).headers['x-total-count']).toBe('1');
    expect((await call(listCustomer, tmf629.listCustomer, { tenant, query: { name: 'Legacy A' } })).headers['x-total-count']).toBe('0');
    expect((await call(listByOwner, crm.listCrmCustomersByOwner, { tenant, params: { ownerId: 'ann' } })).body).toHaveLength(6);
    // The due activity moved to the current due index (the sweep below then flags it).
    const activity = (await db.send(new GetCommand({ TableName: table, Key: { pk: customers[0]!.pk, sk: 'ACTIVITY#01' } }))).Item!;
    expect(activity).toMatchObject({
      duePk: `DUE#${createHash('sha256').update(customers[0]!.pk).digest()[0]! % 32}`,
      dueSk: `2021-01-01T00:00:00.000Z#${customers[0]!.pk}#ACTIVITY#01`,
    });
    expect(activity).not.toHaveProperty('gsi6pk');
    // The migrated next action is in the due index; the sweep flags it into the overdue list.
    expect((await call(listOverdue, crm.listOverdueActions, { tenant })).body).toEqual([]);
    expect((await sweep({}, lambdaContext('due-sweep'))).flagged).toBe(2); // the next action and the activity
    const overdue = await call(listOverdue, crm.listOverdueActions, { tenant });
    expect(overdue.body.map((c: { id: string }) => c.id)).toEqual([customers[1]!.id]);
    // A migrated customer changes like any other (it keeps its count).
    expect((await call(updateStatus, crm.updateCrmStatus, { tenant, params: { id: customers[2]!.id }, body: { crmStatus: 'PROSPECT' } })).status).toBe(200);

    const [moved] = await listSubscriptions(tenant);
    expect(moved).toMatchObject({ id: 'h1', secret: { dataKey: expect.any(String), ciphertext: expect.any(String) } });
    // The old event is in the feed, before everything written since.
    const feed = await readFeed(tenant, { limit: 100, now: Date.now() + 60_000 });
    expect(feed.events[0]).toMatchObject({ eventId: OLD_EVENT_ID, eventType: 'CustomerCreated' });
    const stats = (await db.send(new GetCommand({ TableName: table, Key: keys.caseStatistics(tenant, 0) }))).Item;
    expect(stats).toMatchObject({ open_low: 2, resolved_high: 1, resolutionSeconds_high: 3600 });
    const migrated = (await db.send(new GetCommand({ TableName: table, Key: { pk: customers[3]!.pk, sk: 'CUSTOMER' } }))).Item!;
    expect(Object.keys(migrated).filter((k) => /^gsi\d/.test(k))).toEqual([]);

    // Running it again finds nothing to do, and the counts stay exact.
    expect(await backfill(db, table)).toMatchObject({
      customersCounted: 0,
      dueEntriesMoved: 0,
      subscriptionsMoved: 0,
      statisticsMoved: 0,
      eventsAddedToFeed: 0,
      legacyKeysRemoved: 0,
      secretsSealed: 0,
    });
    expect((await call(listCustomer, tmf629.listCustomer, { tenant })).headers['x-total-count']).toBe('6');
  });
});

/** Every item of a tenant with this entity, deleted: what the code before it did not write. */
const unwrite = async (table: string, tenant: string, entity: string): Promise<number> => {
  const items = (await scanTable(table)).filter((item) => item.entity === entity && String(item.pk).startsWith(`T#${tenant}#`));
  await batchWrite(items.map((item) => ({ DeleteRequest: { Key: { pk: String(item.pk), sk: String(item.sk) } } })));
  return items.length;
};

/** A plain-text secret where the code before sealing kept it. */
const unseal = (key: Record<string, unknown>, path: string, secret: string) =>
  db.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: `SET ${path
        .split('.')
        .map((_, i) => `#p${i}`)
        .join('.')} = :plain`,
      ExpressionAttributeNames: Object.fromEntries(path.split('.').map((name, i) => [`#p${i}`, name])),
      ExpressionAttributeValues: { ':plain': secret },
    }),
  );

describe('giving older data what the newer code writes (DynamoDB Local)', () => {
  const { client, table } = ownTable('older');

  it('runs once per backfill version over a table the local runtime keeps', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'rapport-state-'));
    expect(await backfillOnce(client, table, stateDir)).toMatchObject({ secretsLeftPlain: 0 });
    expect(await backfillOnce(client, table, stateDir)).toBeUndefined();
  });

  it('adds match keys to customers written before duplicates, pointers to linked plans, and seals plain-text secrets; resumably, and a second run finds nothing to do', async () => {
    const [first, second] = [uniqueTenant(), uniqueTenant()];
    const receiver = await startListener((_req, res) => res.writeHead(204).end());
    try {
      // What the code before wrote: customers without match keys, a linked plan without its pointer, secrets in plain text.
      const customer = async (tenant: string, name: string, email: string) =>
        (await call(createCustomer, crm.createCrmCustomer, { tenant, body: { type: 'PERSON', name, email } })).body.id as string;
      const [ann, annAgain] = [await customer(first, 'Ann Example', 'ann@example.com'), await customer(first, 'A. Example', 'ANN@example.com')];
      const [bob, bobAgain] = [await customer(second, 'Bob Example', 'bob@example.com'), await customer(second, 'Robert', 'BOB@example.com')];
      const plan = await call(createPlan, bianCrm.bianCrmCreate, {
        tenant: first,
        body: { CustomerReference: { PartyReference: { PartyIdentification: { PartyIdentification: { IdentifierValue: { Value: ann } } } } } },
      });
      expect(plan.body.LinkedCustomerReference).toBe(ann);
      const webhook = await call(createWebhook, webhooks.createWebhook, {
        tenant: first,
        headers: { 'idempotency-key': 'before' },
        body: { url: receiver.url, eventTypes: ['*'] },
      });
      const hub = await call(registerListener, tmf629.registerListener, { tenant: first, body: { callback: receiver.url, secret: newWebhookSecret() } });
      const [current, previous, hubSecret] = [newWebhookSecret(), newWebhookSecret(), newWebhookSecret()];
      await unseal(keys.webhook(first, webhook.body.id), 'secret', current);
      await unseal(keys.webhook(first, webhook.body.id), 'previousSecret', previous);
      await unseal(keys.webhook(first, webhook.body.id), 'previousSecretExpiresAt', new Date(Date.now() + 3_600_000).toISOString());
      await unseal(keys.idempotency(first, 'webhooks.createWebhook', 'before'), 'response.body.secret', current);
      await unseal(keys.subscription(first, hub.body.id), 'secret', hubSecret);
      expect(await unwrite(table, first, MATCH_ENTITY)).toBe(4);
      expect(await unwrite(table, second, MATCH_ENTITY)).toBe(4);
      expect(await unwrite(table, first, PLAN_LINK_ENTITY)).toBe(1);
      const duplicatesOf = async (tenant: string, id: string) =>
        (await call(findDuplicates, crm.findCrmDuplicates, { tenant, params: { id } })).body.map((d: { customer: { id: string } }) => d.customer.id);
      const linkedPlans = async () => (await call(exportCustomer, crm.exportCrmCustomer, { tenant: first, params: { id: ann } })).body.linkedPlans;
      expect(await duplicatesOf(first, ann)).toEqual([]);
      expect(await linkedPlans()).toEqual([]);
      expect((await scanTable(table)).filter((item) => JSON.stringify(item).includes('whsec_'))).toHaveLength(3);

      // One tenant first, without a key to seal with: the secrets are counted and left.
      const keyId = process.env.SECRETS_KEY_ID;
      delete process.env.SECRETS_KEY_ID;
      try {
        expect(await backfill(db, table, { tenantId: first })).toMatchObject({ matchKeysAdded: 2, planLinksAdded: 1, secretsSealed: 0, secretsLeftPlain: 3 });
      } finally {
        process.env.SECRETS_KEY_ID = keyId;
      }
      expect(await duplicatesOf(first, ann)).toEqual([annAgain]);
      expect(await duplicatesOf(second, bob)).toEqual([]);
      // The whole table with the key: it goes on where the first run stopped.
      expect(await backfill(db, table, { segments: 3 })).toMatchObject({ matchKeysAdded: 2, planLinksAdded: 0, secretsSealed: 3, secretsLeftPlain: 0 });
      expect(await backfill(db, table)).toMatchObject({
        customersCounted: 0,
        matchKeysAdded: 0,
        planLinksAdded: 0,
        secretsSealed: 0,
        secretsLeftPlain: 0,
      });

      expect(await duplicatesOf(second, bobAgain)).toEqual([bob]);
      expect((await linkedPlans()).map((p: { id: string }) => p.id)).toEqual([plan.body.CustomerRelationshipManagementPlanReference]);
      expect((await scanTable(table)).filter((item) => JSON.stringify(item).includes('whsec_'))).toEqual([]);
      // The sealed secrets are the ones that were there: deliveries, notifications and the creation's replay use them.
      const { source: _s, ...event } = newEvent({
        source: 'rapport.crm',
        eventType: 'CustomerUpdated',
        tenantId: first,
        subject: { type: 'Customer', id: ann },
        sequence: 9,
        actor: 'test',
        correlationId: 'c',
        data: {},
      });
      const stored = eventItem(keys.customer(first, ann).pk, { source: 'rapport.crm', ...event });
      await batchWrite([{ PutRequest: { Item: stored } }]);
      const { eventId, eventType } = event.envelope;
      await deliver({ tenantId: first, webhookId: webhook.body.id, eventId, eventType, event: { pk: String(stored.pk), sk: String(stored.sk) }, attempt: 1 });
      const delivered = receiver.received.at(-1)!;
      for (const secret of [current, previous]) expect(new Verifier(secret).verify(delivered.raw, delivered.headers)).toMatchObject({ eventId });
      expect(await notifyTmfEvent(first, ann)).toMatchObject({ delivered: 1 });
      const notified = receiver.received.at(-1)!;
      expect(new Verifier(hubSecret).verify(notified.raw, notified.headers)).toMatchObject({ eventType: 'CustomerCreateEvent' });
      const replayed = await call(createWebhook, webhooks.createWebhook, {
        tenant: first,
        headers: { 'idempotency-key': 'before' },
        body: { url: receiver.url, eventTypes: ['*'] },
      });
      expect(replayed.body).toMatchObject({ id: webhook.body.id, secret: current });
    } finally {
      await receiver.close();
    }
  });

  it('decides again when a customer changes while it runs: the keys it adds are those of the customer as it is then', async () => {
    const tenant = uniqueTenant();
    const create = async (name: string, email: string) =>
      (await call(createCustomer, crm.createCrmCustomer, { tenant, body: { type: 'PERSON', name, email } })).body.id as string;
    const [changing, old, fresh] = [
      await create('Changing', 'old@example.com'),
      await create('Other', 'old@example.com'),
      await create('Third', 'new@example.com'),
    ];
    await unwrite(table, tenant, MATCH_ENTITY);
    // A writer changes the customer's e-mail between the backfill's read and its write.
    let raced = false;
    db.middlewareStack.add(
      (next, context) => async (args) => {
        if (!raced && context.commandName === 'TransactWriteItemsCommand' && JSON.stringify(args.input).includes(keys.customer(tenant, changing).pk)) {
          raced = true;
          expect((await call(updateCustomer, crm.updateCrmCustomer, { tenant, params: { id: changing }, body: { email: 'new@example.com' } })).status).toBe(
            200,
          );
        }
        return next(args);
      },
      { step: 'initialize', name: 'concurrentWriter' },
    );
    try {
      const report = await backfill(db, table, { tenantId: tenant, segments: 1 });
      expect(raced).toBe(true);
      expect(report).toMatchObject({ matchKeysAdded: 3 });
      expect(report.retries).toBeGreaterThan(0);
    } finally {
      db.middlewareStack.remove('concurrentWriter');
    }
    const duplicatesOf = async (id: string) =>
      (await call(findDuplicates, crm.findCrmDuplicates, { tenant, params: { id } })).body.map((d: { customer: { id: string } }) => d.customer.id);
    expect(await duplicatesOf(changing)).toEqual([fresh]);
    expect(await duplicatesOf(old)).toEqual([]);
  });
});
