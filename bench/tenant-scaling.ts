/**
 * Table 7: cost vs tenant size. One tenant holds 1,000, 10,000 and 100,000 customers, each size
 * in a DynamoDB Local of its own, seeded with BatchWriteItem of the storage layer's own item
 * builder (customer items with their index keys, and the counters as the writes keep them). Then
 * every list, the enriched read and each kind of write runs through the real handlers in one
 * process, the sizes interleaved call by call: median latency, DynamoDB requests and consumed
 * read/write units per call, and each figure's ratio to the 1,000-customer tenant.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CustomerRecord } from '../functions/storage/customers/customer-items.ts';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '../lib/local/dynamodb-local.ts';
import type { CallOptions } from '../lib/local/direct-call.ts';
import { childMain, runInChild } from './child.ts';
import { pointHandlersAt } from './environment.ts';
import { writeItems } from './seed.ts';
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
  created: new Date(Date.UTC(2020, 0, 1) + n * 1000).toISOString(),
  createdBy: 'seed',
  updated: new Date(Date.UTC(2020, 0, 1) + n * 1000).toISOString(),
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

/**
 * All sizes side by side: one DynamoDB Local per size (each seeded alone, so none slows another's
 * seeding), one process, and every call interleaved across the sizes — call i of a scenario runs
 * at 1,000, then at 10,000, then at 100,000 — so the machine's noise falls on all of them alike.
 * The handlers' one DynamoDB client is pointed at the size's DynamoDB Local request by request.
 */
const measureSizes = async (sizes: number[], calls: number): Promise<{ seededSeconds: number[]; figures: Measured[] }> => {
  const locals = await Promise.all(sizes.map(() => startDynamoDbLocal({})));
  try {
    pointHandlersAt(locals[0]!.endpoint, TABLE);
    for (const local of locals)
      await ensureTable(new DynamoDBClient({ endpoint: local.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }), TABLE);
    // Imported only now: the handlers' DynamoDB client reads the endpoint when it is created.
    const { db } = await import('../functions/storage/table/db.ts');
    const { toItem } = await import('../functions/storage/customers/customer-items.ts');
    const { keys, shardOf } = await import('../functions/storage/table/keys.ts');
    const { operations } = await import('../functions/catalog.ts');
    const { call } = await import('../lib/local/direct-call.ts');
    const { recordRequests } = await import('../lib/local/request-recorder.ts');

    // Every request goes to the DynamoDB Local of the size being measured (set before each call).
    let current = 0;
    const ports = locals.map((local) => Number(new URL(local.endpoint).port));
    db.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { port?: number; headers: Record<string, string> };
        request.port = ports[current];
        request.headers.host = `127.0.0.1:${ports[current]}`;
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'benchSizeRouter' },
    );

    const writeAll = (items: Record<string, unknown>[]) => writeItems(db, TABLE, items);
    const seededSeconds: number[] = [];
    const all = sizes.map((size) => Array.from({ length: size }, (_, n) => customerAt(n)));
    for (const [k, records] of all.entries()) {
      current = k;
      const seeding = performance.now();
      const shardCounts = new Map<number, number>();
      for (const r of records) shardCounts.set(shardOf(r.id), (shardCounts.get(shardOf(r.id)) ?? 0) + 1);
      await writeAll([
        ...records.map((r) => toItem(r, true)),
        ...[...shardCounts].map(([shard, n]) => ({ ...keys.customerCount(TENANT, shard), entity: 'COUNT', n })),
        ...records.map((r) => ({ ...keys.nameCount(TENANT, r.name), entity: 'COUNT', n: 1 })),
      ]);
      seededSeconds.push((performance.now() - seeding) / 1000);
      process.stderr.write(`bench: tenant of ${records.length} customers seeded in ${seededSeconds.at(-1)!.toFixed(0)} s\n`);
    }

    const handlers = new Map<string, (event: unknown, context: unknown) => Promise<unknown>>();
    const invoke = async (name: string, options: CallOptions) => {
      const op = operations.find((o) => o.name === name)!;
      if (!handlers.has(name)) handlers.set(name, (await import(`../${op.handler}`)).handler);
      const answer = await call(handlers.get(name)! as never, op, { tenant: TENANT, sub: 'owner-1', ...options });
      if (answer.status >= 300) throw new Error(`${name}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer;
    };
    // Per size, the customer every change and the enriched read act on (a LEAD with a history), and a first page's cursor.
    const targets: string[] = [];
    const cursors: string[] = [];
    for (const [k, records] of all.entries()) {
      current = k;
      const target = records[Math.floor(records.length / 10) * 5]!.id;
      for (let i = 0; i < 5; i++) await invoke('createActivity', { params: { id: target }, body: { type: 'CALL', subject: `Call ${i}` } });
      targets.push(target);
      cursors.push(String((await invoke('listCrmCustomers', { query: { limit: '20' } })).headers['x-next-cursor']));
    }
    const scenarios: [string, (i: number, k: number) => [string, CallOptions]][] = [
      ['TMF list, limit 20', () => ['listCustomer', { query: { limit: '20' } }]],
      ['TMF list, offset 500', () => ['listCustomer', { query: { offset: '500', limit: '20' } }]],
      ['TMF list, name filter', () => ['listCustomer', { query: { name: all[0]![7]!.name } }]],
      ['TMF list, status filter (not counted)', () => ['listCustomer', { query: { status: 'Approved', limit: '20' } }]],
      ['CRM list, limit 20', () => ['listCrmCustomers', { query: { limit: '20' } }]],
      ['CRM list, next page (cursor)', (_, k) => ['listCrmCustomers', { query: { limit: '20', cursor: cursors[k]! } }]],
      ['CRM list, name prefix q', () => ['listCrmCustomers', { query: { q: 'customer 0005', limit: '20' } }]],
      ['CRM list, tag filter', () => ['listCrmCustomers', { query: { tag: 'vip', limit: '20' } }]],
      ['CRM by owner', () => ['listCrmCustomersByOwner', { params: { ownerId: 'owner-3' }, query: { limit: '20' } }]],
      ['CRM by status', () => ['listCrmCustomersByStatus', { params: { status: 'PROSPECT' }, query: { limit: '20' } }]],
      ['CRM my customers', () => ['listMyCrmCustomers', { query: { limit: '20' } }]],
      ['CRM overdue actions', () => ['listOverdueActions', { query: { limit: '20' } }]],
      ['CRM activities of a customer', (_, k) => ['listActivities', { params: { id: targets[k]! }, query: { limit: '20' } }]],
      ['CRM enriched customer', (_, k) => ['getCrmCustomer', { params: { id: targets[k]! } }]],
      ['create (CRM)', (i) => ['createCrmCustomer', { body: { name: `New ${i}`, type: 'ORGANIZATION', email: `new${i}@example.com`, ownerId: 'owner-1' } }]],
      ['create (TMF)', (i) => ['createCustomer', { body: { name: `TMF ${i}`, engagedParty: { id: `t${i}`, '@referredType': 'Organization' } } }]],
      ['tag change', (i, k) => ['addCrmTag', { params: { id: targets[k]!, tag: `t${i}` } }]],
      ['owner change', (i, k) => ['assignCrmOwner', { params: { id: targets[k]!, ownerId: `owner-${i % 2 ? 2 : 3}` } }]],
      ['status change', (i, k) => ['updateCrmStatus', { params: { id: targets[k]! }, body: { crmStatus: i % 2 ? 'CUSTOMER' : 'ACTIVE' } }]],
      [
        'next-action change',
        (i, k) => [
          'setNextAction',
          { params: { id: targets[k]! }, body: { nextAction: 'Visit', nextActionDueDate: new Date(Date.UTC(2030, 0, 1 + i)).toISOString() } },
        ],
      ],
      ['profile change (CRM PATCH)', (i, k) => ['updateCrmCustomer', { params: { id: targets[k]! }, body: { industry: `Industry ${i}` } }]],
      [
        'TMF PATCH',
        (i, k) => [
          'patchCustomer',
          { params: { id: targets[k]! }, headers: { 'content-type': 'application/merge-patch+json' }, body: { statusReason: `r${i}` } },
        ],
      ],
      ['activity create', (i, k) => ['createActivity', { params: { id: targets[k]! }, body: { type: 'NOTE', subject: `Note ${i}` } }]],
      ['TMF DELETE', (i, k) => ['deleteCustomer', { params: { id: all[k]![i]!.id } }]],
    ];
    const figures: Measured[] = sizes.map(() => ({}));
    for (const [label, scenario] of scenarios) {
      const samples: Figure[][] = sizes.map(() => []);
      for (let i = 0; i < calls + 2; i++) {
        for (let k = 0; k < sizes.length; k++) {
          current = k;
          const [name, options] = scenario(i, k);
          const started = performance.now();
          const requests = await recordRequests(() => invoke(name, options));
          const ms = performance.now() - started;
          if (i < 2) continue; // warm-up
          samples[k]!.push({
            ms,
            requests: requests.length,
            readUnits: requests.reduce((s, r) => s + r.readUnits, 0),
            writeUnits: requests.reduce((s, r) => s + r.writeUnits, 0),
          });
        }
      }
      for (const [k, list] of samples.entries()) {
        figures[k]![label] = {
          ms: median(list.map((s) => s.ms)),
          requests: median(list.map((s) => s.requests)),
          readUnits: median(list.map((s) => s.readUnits)),
          writeUnits: median(list.map((s) => s.writeUnits)),
        };
      }
    }
    return { seededSeconds, figures };
  } finally {
    await Promise.all(locals.map((local) => local.stop()));
  }
};

export const measureTenantScaling = (sizes: number[], calls: number): string[] => {
  const measured = runInChild<Awaited<ReturnType<typeof measureSizes>>>(import.meta.url, [sizes.join(','), String(calls)]);
  const results = sizes.map((size, k) => ({ size, seededSeconds: measured.seededSeconds[k]!, figures: measured.figures[k]! }));
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
    ...table(
      [
        'operation',
        ...results.map((r) => `${r.size.toLocaleString('en-US')} customers`),
        `latency ×, ${last} vs ${base.size.toLocaleString('en-US')}`,
        `capacity units ×, ${last} vs ${base.size.toLocaleString('en-US')}`,
      ],
      rows,
    ),
    '',
    `One tenant per size, each in a DynamoDB Local of its own, seeded with BatchWriteItem of storage's own item builder (${results.map((r) => `${r.size.toLocaleString('en-US')} in ${r.seededSeconds.toFixed(0)} s`).join(', ')}): ${OWNERS} owners, five CRM statuses, every 10th customer tagged, every 5th with an overdue next action. Each figure is the median of ${calls} calls after 2 warm-ups, through the real handlers in one process, the sizes interleaved call by call. Goal: every ratio ≤ 1.2 — the work of a request follows its page, not the tenant.`,
  ];
};

await childMain(import.meta.url, ([sizes, calls]) => measureSizes(sizes!.split(',').map(Number), Number(calls)));
