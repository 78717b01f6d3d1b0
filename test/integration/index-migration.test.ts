import { readFeed } from '../../functions/storage/event-feed.ts';
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION, upgradeTable } from '../../lib/local/dynamodb-local.ts';
import { inject } from 'vitest';
import { db } from '../../functions/storage/db.ts';
import { backfill } from '../../functions/storage/backfill.ts';
import { INDEXES, LEGACY_INDEXES } from '../../functions/storage/table-schema.ts';
import { keys } from '../../functions/storage/keys.ts';
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

describe('moving a table of the legacy index layout to the current one (DynamoDB Local)', () => {
  const client = new DynamoDBClient({ endpoint: inject('dynamoDbEndpoint'), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const table = `legacy-${randomUUID().slice(0, 8)}`;
  const tenant = uniqueTenant();
  const customers = [0, 1, 2, 3, 4].map((n) => legacyCustomer(tenant, n, n === 1 ? { nextAction: 'Call', nextActionDueDate: '2021-03-01T09:00:00.000Z' } : {}));
  let previousTable: string | undefined;

  beforeAll(async () => {
    await ensureTable(client, table, LEGACY_INDEXES);
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
    previousTable = process.env.TABLE_NAME;
    process.env.TABLE_NAME = table; // this file's handlers read the migrated table (tableName() reads it on each call)
  });

  afterAll(async () => {
    process.env.TABLE_NAME = previousTable;
    await client.send(new DeleteTableCommand({ TableName: table }));
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

    expect((await listSubscriptions(tenant)).map((s) => s.id)).toEqual(['h1']);
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
    });
    expect((await call(listCustomer, tmf629.listCustomer, { tenant })).headers['x-total-count']).toBe('6');
  });
});
