/**
 * Table 5: the due sweep at growing table sizes with the same number of due items. Each size runs
 * in a process of its own with a fresh DynamoDB Local: the table is filled with customers written
 * as the storage layer writes them (half of them carrying a future next-action date, so the due
 * index holds them too), then the due ones are (re)armed before each run and the real sweep
 * handler runs with its requests recorded (lib/local/request-recorder.ts: ReturnConsumedCapacity=INDEXES, its total taken).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CustomerRecord } from '../functions/storage/customers/customer-items.ts';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '../lib/local/dynamodb-local.ts';
import { lambdaContext } from '../lib/local/functions.ts';
import { childMain, runInChild } from './child.ts';
import { pointHandlersAt } from './environment.ts';
import { writeItems } from './seed.ts';
import { median, table, withSpread } from './stats.ts';

const TENANT = 'bench-sweep';
const NOW = '2021-01-01T00:00:00.000Z';

interface Run {
  flagged: number;
  requests: number;
  readUnits: number;
  writeUnits: number;
  ms: number;
}

const measureSize = async (size: number, due: number, runs: number): Promise<{ seededSeconds: number; idle: Run; runs: Run[] }> => {
  const dynamo = await startDynamoDbLocal({});
  try {
    pointHandlersAt(dynamo.endpoint, 'bench-sweep');
    await ensureTable(new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }), 'bench-sweep');
    // Imported only now: the handlers' DynamoDB client reads the endpoint when it is created.
    const { db } = await import('../functions/storage/table/db.ts');
    const { newCustomerMeta, toItem } = await import('../functions/storage/customers/customer-items.ts');
    const { handler: sweep } = await import('../functions/schedules/due-sweep.ts');
    const { recordRequests } = await import('../lib/local/request-recorder.ts');

    /** Run r arms its due customers for a date of its own: a flag is recorded once per due date. */
    const customer = (n: number, isDue: boolean, run = 0): CustomerRecord => ({
      // Distinct creation times, as real customers have (the tenant-list index sorts by them).
      ...newCustomerMeta(`c${String(n).padStart(6, '0')}`, TENANT, 'bench', new Date(Date.UTC(2020, 0, 1) + n * 60_000).toISOString()),
      name: `Customer ${n}`,
      engagedParty: { id: `p${n}`, '@referredType': 'Organization' },
      crmStatus: 'LEAD',
      ownerId: `owner-${n % 20}`,
      ...(isDue
        ? { nextAction: 'Call back', nextActionDueDate: new Date(Date.UTC(2020, 11, 1 + run, 9)).toISOString() }
        : n % 2 === 0
          ? { nextAction: 'Later', nextActionDueDate: '2999-01-01T00:00:00Z' }
          : {}),
    });
    const putAll = (records: CustomerRecord[]) =>
      writeItems(
        db,
        'bench-sweep',
        records.map((r) => toItem(r)),
      );

    const seeding = performance.now();
    await putAll(Array.from({ length: size - due }, (_, n) => customer(n + due, false)));
    const seededSeconds = (performance.now() - seeding) / 1000;
    const sweepRun = async (): Promise<Run> => {
      let flagged = 0;
      const started = performance.now();
      const requests = await recordRequests(async () => {
        ({ flagged } = await sweep({ scheduledTime: NOW }, lambdaContext('due-sweep', 600_000)));
      });
      const ms = performance.now() - started;
      const units = (kind: 'readUnits' | 'writeUnits') => requests.reduce((sum, r) => sum + r[kind], 0);
      return { requests: requests.length, readUnits: units('readUnits'), writeUnits: units('writeUnits'), ms, flagged };
    };
    // A run with nothing due: what every run of the schedule costs at least.
    const idle = await sweepRun();
    const results: Run[] = [];
    for (let run = 0; run < runs; run++) {
      await putAll(Array.from({ length: due }, (_, n) => customer(n, true, run)));
      results.push(await sweepRun());
    }
    return { seededSeconds, idle, runs: results };
  } finally {
    await dynamo.stop();
  }
};

export const measureSweepScaling = (sizes: number[], due: number, runs: number): string[] => {
  const idles: Run[] = [];
  const rows = sizes.map((size) => {
    const {
      seededSeconds,
      idle,
      runs: results,
    } = runInChild<Awaited<ReturnType<typeof measureSize>>>(import.meta.url, [String(size), String(due), String(runs)]);
    idles.push(idle);
    process.stderr.write(`bench: sweep at ${size} customers measured (table filled in ${seededSeconds.toFixed(0)} s)\n`);
    return [
      size.toLocaleString('en-US'),
      due,
      results.map((r) => r.flagged).join('/'),
      median(results.map((r) => r.requests)),
      median(results.map((r) => r.readUnits)).toFixed(1),
      median(results.map((r) => r.writeUnits)).toFixed(1),
      withSpread(results.map((r) => r.ms)),
      seededSeconds.toFixed(0),
    ];
  });
  return [
    ...table(['customers', 'due', 'flagged per run', 'DynamoDB requests', 'read units', 'write units', 'sweep ms', 'table filled in s'], rows),
    '',
    `${runs} runs per size, each size in a fresh DynamoDB Local (the due customers re-armed before each run); half of every table also carries a future next-action date, so the due index holds them as well: the sweep's key condition stops at "now". Requests = one Query per due-index shard, one directory lookup per distinct owner of a due item (the event names the owner; 10 owners here), one flag transaction (item + event) per due item; none of it grows with the table.`,
    '',
    ...idleCost(idles),
  ];
};

/**
 * What the schedule costs when nothing is due, per day at one run a minute (EventBridge
 * Scheduler's finest rate, the default): the floor every deployment pays for a next action
 * listed within a minute of falling due.
 */
const idleCost = (idles: Run[]): string[] => {
  const requests = median(idles.map((r) => r.requests));
  const measuredUnits = median(idles.map((r) => r.readUnits));
  // DynamoDB rounds every read up to one 4 KB unit: an eventually consistent Query costs at least half a read unit, even empty (DynamoDB Local counts it as none).
  const readUnits = Math.max(measuredUnits, requests * 0.5);
  const runsPerDay = 24 * 60;
  const perDay = (n: number) => (n * runsPerDay).toLocaleString('en-US');
  return [
    `**A run with nothing due** (measured once per size above): ${requests} requests (one Query per due-index shard), ${measuredUnits.toFixed(1)} read units as DynamoDB Local counts them (${readUnits.toFixed(1)} on DynamoDB, which charges at least half a unit per eventually consistent Query), no write, ${withSpread(idles.map((r) => r.ms))} ms against DynamoDB Local.`,
    `At one run a minute (EventBridge Scheduler's finest rate, the default) that is, per deployment and day: ${perDay(1)} runs, ${perDay(requests)} Queries and ${perDay(readUnits)} read units (on-demand at $0.125 per million read request units: $${((readUnits * runsPerDay * 0.125) / 1e6).toFixed(4)}), ${perDay(1)} scheduler invocations and ${perDay(1)} Lambda invocations: five times the former 5-minute rate, for an overdue list at most a minute behind a date falling due instead of five.`,
  ];
};
await childMain(import.meta.url, ([size, due, runs]) => measureSize(Number(size), Number(due), Number(runs)));
