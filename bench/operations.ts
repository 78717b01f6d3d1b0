/**
 * Tables 3 and 4: every catalog operation invoked in-process (real handler, real middleware) against
 * DynamoDB Local. Each call's DynamoDB requests are recorded (lib/local/request-recorder.ts): their wall time (the union of their intervals: the bare DynamoDB calls the operation
 * needs, SDK included) against the handler's, and what each consumed (ReturnConsumedCapacity=INDEXES, its total taken).
 * The process environment must point at DynamoDB Local before this module is imported.
 */
import { join } from 'node:path';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Event } from '../functions/http/kernel.ts';
import { operations } from '../functions/catalog.ts';
import { apiEvent, lambdaContext, type CallOptions } from '../lib/local/direct-call.ts';
import { recordRequests, type Recorded } from '../lib/local/request-recorder.ts';
import { scenarios, seed, type Invoke } from './scenarios.ts';
import { busyTime, excess } from './requests.ts';
import { median, percentile, table, withSpread } from './stats.ts';

const ROOT = join(import.meta.dirname, '..');
const TENANT = 'bench-ops';
const CALLER = 'ann';

type Handler = (event: Event, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export const measureOperations = async (rounds: number, perRound: number): Promise<{ latency: string[]; capacity: string[] }> => {
  const byName = new Map(operations.map((op) => [op.name, op]));
  const handlers = new Map<string, Handler>();
  for (const op of operations) handlers.set(op.name, ((await import(join(ROOT, op.handler))) as { handler: Handler }).handler);
  const run = async (name: string, options: CallOptions) => {
    const op = byName.get(name)!;
    const event = apiEvent(op, { tenant: TENANT, sub: CALLER, ...options });
    const started = performance.now();
    const result = await handlers.get(name)!(event, lambdaContext(name));
    const ms = performance.now() - started;
    if ((result.statusCode ?? 200) >= 300) throw new Error(`${name} answered ${result.statusCode}: ${result.body}`);
    return { ms, body: (result.body ? JSON.parse(result.body) : {}) as Record<string, unknown> };
  };
  const invoke: Invoke = async (name, options) => (await run(name, options)).body;
  const prepared = scenarios(invoke, await seed(invoke));

  const latencyRows: (string | number)[][] = [];
  const capacityRows: (string | number)[][] = [];
  let flagged = 0;
  for (const op of operations) {
    const scenario = prepared[op.name];
    if (!scenario) throw new Error(`no bench scenario for ${op.name}`);
    let i = 0;
    const timed = async () => {
      const options = await scenario(i++);
      let ms = 0;
      const requests = await recordRequests(async () => {
        ({ ms } = await run(op.name, options));
      });
      return { ms, db: busyTime(requests), requests };
    };
    for (let w = 0; w < 5; w++) await timed();
    const perRoundStats: { p50: number; p99: number; db50: number; db99: number }[] = [];
    const samples: Recorded[][] = [];
    for (let r = 0; r < rounds; r++) {
      const calls: Awaited<ReturnType<typeof timed>>[] = [];
      for (let n = 0; n < perRound; n++) calls.push(await timed());
      samples.push(...calls.map((c) => c.requests));
      const at = (key: 'ms' | 'db', p: number) =>
        percentile(
          calls.map((c) => c[key]),
          p,
        );
      perRoundStats.push({ p50: at('ms', 50), p99: at('ms', 99), db50: at('db', 50), db99: at('db', 99) });
    }
    const pick = (f: (s: (typeof perRoundStats)[number]) => number) => perRoundStats.map(f);
    latencyRows.push([
      op.name,
      withSpread(
        pick((s) => s.p50),
        1,
      ),
      withSpread(
        pick((s) => s.p99),
        1,
      ),
      `${median(pick((s) => s.db50)).toFixed(1)} / ${median(pick((s) => s.db99)).toFixed(1)}`,
      withSpread(
        pick((s) => s.p50 / s.db50),
        2,
      ),
      withSpread(
        pick((s) => s.p99 / s.db99),
        2,
      ),
      median(pick((s) => s.p50 - s.db50)).toFixed(1),
    ]);
    // Capacity: the most common request count among the timed calls, and one call with it.
    const counts = samples.map((s) => s.length);
    const usual = [...new Set(counts)].sort((a, b) => counts.filter((c) => c === b).length - counts.filter((c) => c === a).length)[0]!;
    const sample = samples.find((s) => s.length === usual)!;
    const flag = excess(sample);
    if (flag) flagged++;
    capacityRows.push([
      op.name,
      usual + (new Set(counts).size > 1 ? ` (${Math.min(...counts)}–${Math.max(...counts)})` : ''),
      sample.map((r) => r.command.replace(/Command$/, '')).join(' → '),
      sample.reduce((sum, r) => sum + r.readUnits, 0).toFixed(1),
      sample.reduce((sum, r) => sum + r.writeUnits, 0).toFixed(1),
      flag ? `**${flag}**` : '',
    ]);
  }
  return {
    latency: [
      ...table(['operation', 'handler p50 ms', 'handler p99 ms', 'DynamoDB p50 / p99 ms', 'p50 ratio', 'p99 ratio', 'overhead p50 ms'], latencyRows),
      '',
      `Per operation: 5 warm-up calls, then ${rounds} rounds of ${perRound} calls; p50/p99 per round, shown as the median of the rounds (min–max). "DynamoDB" is the wall time the operation's own DynamoDB requests were in flight (SDK and DynamoDB Local included); the ratio is handler time over that, so everything above 1.00 is middleware, validation, mapping and JSON.`,
    ],
    capacity: [
      ...table(['operation', 'requests', 'what', 'read units', 'write units', 'one would do?'], capacityRows),
      '',
      `ReturnConsumedCapacity=INDEXES (its total taken) on every request of a typical call (the most common request count; a range shows calls that differed, e.g. an optimistic retry). Units as DynamoDB Local reports them: transactional writes count double, and each GSI an item is in adds its write. Flagged (${flagged}): separate writes that one transaction could carry, a request sent twice, or separate point reads that one BatchGetItem could carry. A read before a write (the version for the optimistic check) is not flagged: the write's condition needs it.`,
    ],
  };
};
