/**
 * Table 7: cost vs tenant size. One tenant holds 1,000, 10,000 and then 100,000 customers, each
 * size in a process of its own with a fresh DynamoDB Local, seeded with BatchWriteItem of the
 * storage layer's own item builder (customer items with their index keys, and the counters as the
 * writes keep them). Then every list, the enriched read and each kind of write runs through the
 * real handlers in-process: median latency, DynamoDB requests and consumed read/write units per
 * call, and each figure's ratio to the 1,000-customer tenant.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CustomerRecord } from '../functions/storage/customer-items.ts';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '../lib/local/dynamodb-local.ts';
import type { CallOptions } from '../test/support/api-event.ts';
import { childMain, runInChild } from './child.ts';
import { pointHandlersAt } from './environment.ts';
import { median, table } from './stats.ts';

const TENANT = 'bench-tenant-7c1f0a52';
const TABLE = 'bench-scale';
const OWNERS = 50;
const STATUSES = ['LEAD', 'PROSPECT', 'ACTIVE', 'CUSTOMER', 'INACTIVE'];

interface Figure {
  ms: number;
  requests: number;
  readUnits: number;
  writeUnits: number;
}

type Measured = Record<string, Figure>;

const customerAt = (n: number): CustomerRecord => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  tenantId: TENANT,
  version: 1,
  sequence: 1,
  createdAt: new Date(Date.UTC(2020, 0, 1) + n * 1000).toISOString(),
  createdBy: 'seed',
  updatedAt: new Date(Date.UTC(2020, 0, 1) + n * 1000).toISOString(),
  updatedBy: 'seed',
  name: `Customer ${String(n).padStart(6, '0')}`,
  '@type': 'Customer',
  status: n % 4 === 0 ? 'Approved' : 'Initialized',
  engagedParty: { id: `p${n}`, '@referredType': 'Organization' },
  contactMedium: [{ mediumType: 'Email', preferred: true, characteristic: { emailAddress: `c${n}@example.com` } }],
  crmStatus: STATUSES[n % STATUSES.length],
  ownerId: `owner-${n % OWNERS}`,
  tags: n % 10 === 0 ? ['vip'] : [],
  ...(n % 5 === 0 ? { nextAction: 'Call back', nextActionDueDate: new Date(Date.UTC(2021, 0, 1) + n * 60_000).toISOString() } : {}),
});

const measureSize = async (size: number, calls: number): Promise<{ seededSeconds: number; figures: Measured }> => {
  const dynamo = await startDynamoDbLocal({});
  try {
    pointHandlersAt(dynamo.endpoint, TABLE);
    await ensureTable(new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }), TABLE);
    // Imported only now: the handlers' DynamoDB client reads the endpoint when it is created.
    const { db } = await import('../functions/storage/db.ts');
    const { toItem } = await import('../functions/storage/customer-items.ts');
    const { keys, shardOf } = await import('../functions/storage/keys.ts');
    const { operations } = await import('../functions/catalog.ts');
    const { call } = await import('../test/support/api-event.ts');
    const { recordRequests } = await import('../test/support/capacity.ts');

    const writeAll = async (items: Record<string, unknown>[]) => {
      const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, i) => items.slice(i * 25, i * 25 + 25));
      for (let i = 0; i < batches.length; i += 8) {
        await Promise.all(
          batches.slice(i, i + 8).map(async (batch) => {
            let pending: Record<string, unknown>[] = batch.map((Item) => ({ PutRequest: { Item } }));
            while (pending.length > 0) {
              const { UnprocessedItems } = await db.send(new BatchWriteCommand({ RequestItems: { [TABLE]: pending as never } }));
              pending = (UnprocessedItems?.[TABLE] ?? []) as Record<string, unknown>[];
            }
          }),
        );
      }
    };
    const seeding = performance.now();
    const records = Array.from({ length: size }, (_, n) => customerAt(n));
    const shardCounts = new Map<number, number>();
    for (const r of records) shardCounts.set(shardOf(r.id), (shardCounts.get(shardOf(r.id)) ?? 0) + 1);
    await writeAll([
      ...records.map((r) => toItem(r, true)),
      ...[...shardCounts].map(([shard, n]) => ({ ...keys.customerCount(TENANT, shard), entity: 'COUNT', n })),
      ...records.map((r) => ({ ...keys.nameCount(TENANT, r.name), entity: 'COUNT', n: 1 })),
    ]);
    const seededSeconds = (performance.now() - seeding) / 1000;

    const handlers = new Map<string, (event: unknown, context: unknown) => Promise<unknown>>();
    const invoke = async (name: string, options: CallOptions) => {
      const op = operations.find((o) => o.name === name)!;
      if (!handlers.has(name)) handlers.set(name, (await import(`../${op.handler}`)).handler);
      const answer = await call(handlers.get(name)! as never, op, { tenant: TENANT, sub: 'owner-1', ...options });
      if (answer.status >= 300) throw new Error(`${name}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer;
    };
    // The customer every change and the enriched read act on: one in the middle of the name order, with a history.
    const target = records[Math.floor(size / 10) * 5]!.id; // a LEAD, so the status scenario can start with ACTIVE
    for (let i = 0; i < 5; i++) await invoke('createActivity', { params: { id: target }, body: { type: 'CALL', subject: `Call ${i}` } });
    const page1 = await invoke('listCrmCustomers', { query: { limit: '20' } });
    const scenarios: [string, (i: number) => [string, CallOptions]][] = [
      ['TMF list, limit 20', () => ['listCustomer', { query: { limit: '20' } }]],
      ['TMF list, offset 500', () => ['listCustomer', { query: { offset: '500', limit: '20' } }]],
      ['TMF list, name filter', () => ['listCustomer', { query: { name: records[7]!.name } }]],
      ['TMF list, status filter (not counted)', () => ['listCustomer', { query: { status: 'Approved', limit: '20' } }]],
      ['CRM list, limit 20', () => ['listCrmCustomers', { query: { limit: '20' } }]],
      ['CRM list, next page (cursor)', () => ['listCrmCustomers', { query: { limit: '20', cursor: String(page1.headers['x-next-cursor']) } }]],
      ['CRM list, name prefix q', () => ['listCrmCustomers', { query: { q: 'customer 0005', limit: '20' } }]],
      ['CRM list, tag filter', () => ['listCrmCustomers', { query: { tag: 'vip', limit: '20' } }]],
      ['CRM by owner', () => ['listCrmCustomersByOwner', { params: { ownerId: 'owner-3' }, query: { limit: '20' } }]],
      ['CRM by status', () => ['listCrmCustomersByStatus', { params: { status: 'PROSPECT' }, query: { limit: '20' } }]],
      ['CRM my customers', () => ['listMyCrmCustomers', { query: { limit: '20' } }]],
      ['CRM overdue actions', () => ['listOverdueActions', { query: { limit: '20' } }]],
      ['CRM activities of a customer', () => ['listActivities', { params: { id: target }, query: { limit: '20' } }]],
      ['CRM enriched customer', () => ['getCrmCustomer', { params: { id: target } }]],
      ['create (CRM)', (i) => ['createCrmCustomer', { body: { name: `New ${i}`, type: 'ORGANIZATION', email: `new${i}@example.com`, ownerId: 'owner-1' } }]],
      ['create (TMF)', (i) => ['createCustomer', { body: { name: `TMF ${i}`, engagedParty: { id: `t${i}`, '@referredType': 'Organization' } } }]],
      ['tag change', (i) => ['addCrmTag', { params: { id: target, tag: `t${i}` } }]],
      ['owner change', (i) => ['assignCrmOwner', { params: { id: target, ownerId: `owner-${i % 2 ? 2 : 3}` } }]],
      ['status change', (i) => ['updateCrmStatus', { params: { id: target }, body: { crmStatus: i % 2 ? 'CUSTOMER' : 'ACTIVE' } }]],
      ['next-action change', (i) => ['setNextAction', { params: { id: target }, body: { nextAction: 'Visit', nextActionDueDate: new Date(Date.UTC(2030, 0, 1 + i)).toISOString() } }]],
      ['profile change (CRM PATCH)', (i) => ['updateCrmCustomer', { params: { id: target }, body: { industry: `Industry ${i}` } }]],
      ['TMF PATCH', (i) => ['patchCustomer', { params: { id: target }, headers: { 'content-type': 'application/merge-patch+json' }, body: { statusReason: `r${i}` } }]],
      ['activity create', (i) => ['createActivity', { params: { id: target }, body: { type: 'NOTE', subject: `Note ${i}` } }]],
      ['TMF DELETE', (i) => ['deleteCustomer', { params: { id: records[i]!.id } }]],
    ];
    const figures: Measured = {};
    for (const [label, scenario] of scenarios) {
      const samples: Figure[] = [];
      for (let i = 0; i < calls + 2; i++) {
        const [name, options] = scenario(i);
        const started = performance.now();
        const requests = await recordRequests(() => invoke(name, options));
        const ms = performance.now() - started;
        if (i < 2) continue; // warm-up
        samples.push({ ms, requests: requests.length, readUnits: requests.reduce((s, r) => s + r.readUnits, 0), writeUnits: requests.reduce((s, r) => s + r.writeUnits, 0) });
      }
      figures[label] = {
        ms: median(samples.map((s) => s.ms)),
        requests: median(samples.map((s) => s.requests)),
        readUnits: median(samples.map((s) => s.readUnits)),
        writeUnits: median(samples.map((s) => s.writeUnits)),
      };
    }
    return { seededSeconds, figures };
  } finally {
    await dynamo.stop();
  }
};

export const measureTenantScaling = (sizes: number[], calls: number): string[] => {
  const results = sizes.map((size) => {
    const result = runInChild<Awaited<ReturnType<typeof measureSize>>>(import.meta.url, [String(size), String(calls)]);
    process.stderr.write(`bench: tenant of ${size} customers measured (seeded in ${result.seededSeconds.toFixed(0)} s)\n`);
    return { size, ...result };
  });
  const base = results[0]!;
  const ratio = (value: number, of: number) => (of === 0 ? (value === 0 ? '1.00' : '∞') : (value / of).toFixed(2));
  const rows = Object.keys(base.figures).map((label) => {
    const cells: (string | number)[] = [label];
    for (const r of results) {
      const f = r.figures[label]!;
      cells.push(`${f.ms.toFixed(1)} ms · ${f.requests} req · ${f.readUnits.toFixed(1)} RU · ${f.writeUnits.toFixed(1)} WU`);
    }
    const last = results.at(-1)!.figures[label]!;
    const first = base.figures[label]!;
    cells.push(ratio(last.ms, first.ms), ratio(last.readUnits + last.writeUnits, first.readUnits + first.writeUnits));
    return cells;
  });
  const last = results.at(-1)!.size.toLocaleString('en-US');
  return [
    ...table(['operation', ...results.map((r) => `${r.size.toLocaleString('en-US')} customers`), `latency ×, ${last} vs ${base.size.toLocaleString('en-US')}`, `capacity units ×, ${last} vs ${base.size.toLocaleString('en-US')}`], rows),
    '',
    `One tenant, each size in a fresh DynamoDB Local seeded with BatchWriteItem of storage's own item builder (${results.map((r) => `${r.size.toLocaleString('en-US')} in ${r.seededSeconds.toFixed(0)} s`).join(', ')}): ${OWNERS} owners, five CRM statuses, every 10th customer tagged, every 5th with an overdue next action. Each figure is the median of ${calls} calls after 2 warm-ups, through the real handlers in-process. Goal: every ratio ≤ 1.2 — the work of a request follows its page, not the tenant.`,
  ];
};

await childMain(import.meta.url, ([size, calls]) => measureSize(Number(size), Number(calls)));
