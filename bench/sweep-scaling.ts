/**
 * Table 5: the due sweep at growing table sizes with the same number of due items. Each table is
 * filled with customers written as the storage layer writes them (half of them carrying a future
 * next-action date, so the due index holds them too), then the due ones are (re)armed before each
 * run and the real sweep handler runs with ReturnConsumedCapacity=TOTAL on every request.
 * The process environment must point at DynamoDB Local before this module is imported.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { db } from '../functions/storage/db.ts';
import { newCustomerMeta, toItem, type CustomerRecord } from '../functions/storage/customers.ts';
import { handler as sweep } from '../functions/crm/sweep-due-items.ts';
import { ensureTable } from '../lib/local/dynamodb-local.ts';
import { lambdaContext } from '../lib/local/functions.ts';
import { median, table, withSpread } from './stats.ts';

const TENANT = 'bench-sweep';
const NOW = '2021-01-01T00:00:00.000Z';

const customer = (n: number, due: boolean): CustomerRecord => ({
  ...newCustomerMeta(`c${String(n).padStart(6, '0')}`, TENANT, 'bench', '2020-06-01T00:00:00.000Z'),
  name: `Customer ${n}`,
  engagedParty: { id: `p${n}`, '@referredType': 'Organization' },
  crmStatus: 'LEAD',
  ownerId: `owner-${n % 20}`,
  ...(due ? { nextAction: 'Call back', nextActionDueDate: '2020-12-01T09:00:00Z' } : n % 2 === 0 ? { nextAction: 'Later', nextActionDueDate: '2999-01-01T00:00:00Z' } : {}),
});

const putAll = async (records: CustomerRecord[]) => {
  const batches = Array.from({ length: Math.ceil(records.length / 25) }, (_, i) => records.slice(i * 25, i * 25 + 25));
  const tableName = process.env.TABLE_NAME!;
  for (let i = 0; i < batches.length; i += 8) {
    await Promise.all(
      batches.slice(i, i + 8).map(async (batch) => {
        let pending: Record<string, unknown>[] = batch.map((r) => ({ PutRequest: { Item: toItem(r) } }));
        while (pending.length > 0) {
          const { UnprocessedItems } = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }));
          pending = (UnprocessedItems?.[tableName] ?? []) as Record<string, unknown>[];
        }
      }),
    );
  }
};

interface Measured {
  requests: number;
  readUnits: number;
  writeUnits: number;
}
let measured: Measured | undefined;
db.middlewareStack.add(
  (next, context) => async (args) => {
    if (!measured) return next(args);
    const log = measured;
    (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
    const result = await next(args);
    const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity;
    const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
    log.requests++;
    if (/^(Query|GetItem|BatchGetItem)Command$/.test(String(context.commandName))) log.readUnits += units;
    else log.writeUnits += units;
    return result;
  },
  { step: 'initialize', name: 'benchSweepRecorder' },
);

export const measureSweepScaling = async (client: DynamoDBClient, sizes: number[], due: number, runs: number): Promise<string[]> => {
  const rows: (string | number)[][] = [];
  for (const size of sizes) {
    process.env.TABLE_NAME = `bench-sweep-${size}`;
    await ensureTable(client, process.env.TABLE_NAME);
    const seeding = performance.now();
    await putAll(Array.from({ length: size - due }, (_, n) => customer(n + due, false)));
    const seededSeconds = (performance.now() - seeding) / 1000;
    const results: (Measured & { ms: number; flagged: number })[] = [];
    for (let run = 0; run < runs; run++) {
      await putAll(Array.from({ length: due }, (_, n) => customer(n, true)));
      measured = { requests: 0, readUnits: 0, writeUnits: 0 };
      const started = performance.now();
      const result = await sweep({ scheduledTime: NOW }, lambdaContext('due-sweep', 600_000));
      const ms = performance.now() - started;
      results.push({ ...measured, ms, flagged: result.flagged });
      measured = undefined;
    }
    rows.push([
      size.toLocaleString('en-US'),
      due,
      results.map((r) => r.flagged).join('/'),
      median(results.map((r) => r.requests)),
      median(results.map((r) => r.readUnits)).toFixed(1),
      median(results.map((r) => r.writeUnits)).toFixed(1),
      withSpread(results.map((r) => r.ms)),
      seededSeconds.toFixed(0),
    ]);
  }
  return [
    ...table(['customers', 'due', 'flagged per run', 'DynamoDB requests', 'read units', 'write units', 'sweep ms', 'table filled in s'], rows),
    '',
    `${runs} runs per size (the due customers re-armed before each); half of every table also carries a future next-action date, so the due index holds them as well: the sweep's key condition stops at "now". Requests = one Query per due-index shard + one flag transaction (item + event) per due item.`,
  ];
};
