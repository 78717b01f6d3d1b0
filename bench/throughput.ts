/**
 * Table 6: requests per second through the local runtime (loopback, autocannon, fixed request
 * counts), and where each request's time goes: CPU of the Node process (gateway, handler, the
 * stream consumers it sets off) and of DynamoDB Local, and the DynamoDB requests behind it. Then
 * what a CRM create writes, item by item: the price of each feature a create carries. Runs in a
 * process of its own (`runThroughputInChild`): the runtime configures the handlers' DynamoDB
 * client, which must not be one an earlier table already created.
 */
import { readdirSync, readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { startRuntime } from '../lib/local/runtime.ts';
import { loadDevKey, signDevToken } from '../lib/local/dev-tokens.ts';
import { recordRequests } from '../lib/local/request-recorder.ts';
import { STATE_DIR } from '../lib/local/state-dir.ts';
import { itemBytes } from '../functions/storage/table/limits.ts';
import { INDEXES } from '../functions/storage/table/table-schema.ts';
import { childMain, runInChild } from './child.ts';
import { countByCommand } from './requests.ts';
import { table, withSpread } from './stats.ts';

/** CPU time (user + system) of a process, from /proc (Linux); undefined elsewhere. */
const cpuMs = (pid: string): number | undefined => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
  } catch {
    return undefined;
  }
};

/** DynamoDB Local's Java process: the one running DynamoDBLocal.jar among this process's descendants. */
const dynamoDbLocalPid = (): string | undefined => {
  const parentOf = (pid: string) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]!;
  const descends = (pid: string) => {
    for (let p = pid; p !== '0' && p !== '1'; p = parentOf(p)) if (p === String(process.pid)) return true;
    return false;
  };
  try {
    return readdirSync('/proc').find((d) => {
      try {
        return /^\d+$/.test(d) && readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('DynamoDBLocal.jar') && descends(d);
      } catch {
        return false;
      }
    });
  } catch {
    return undefined;
  }
};

/** A transaction item's kind, from its key: what feature put it in the create. */
const itemKind = (item: Record<string, unknown>, update: boolean): string => {
  const pk = String(item.pk ?? '');
  const sk = String(item.sk ?? '');
  if (update) return pk.includes('#NAME#') ? 'count of customers by this name' : "count of the tenant's customers (its shard)";
  if (item.detailType) return `event ${String(item.detailType)}${sk.startsWith('MIRROR#') ? ' (TMF629 mirror)' : ''}, its feed entry`;
  if (pk.includes('#MATCH#')) return `match key (${pk.split('#MATCH#')[1]?.split('#')[0] ?? ''})`;
  return 'customer';
};

type TransactItem = { Put?: { Item: Record<string, unknown> }; Update?: { Key: Record<string, unknown> } };

export const measureThroughput = async (runs: number): Promise<string[]> => {
  const runtime = await startRuntime({ port: 0, inMemory: true, schedulesEnabled: false });
  try {
    const java = dynamoDbLocalPid();
    const authorization = `Bearer ${await signDevToken(loadDevKey(STATE_DIR), { sub: 'bench', tenant: 'bench-throughput' })}`;
    const headers = { authorization, 'content-type': 'application/json' };
    const idle = () => fetch(`${runtime.baseUrl}/_local/idle`, { method: 'POST' });
    const created = (await (
      await fetch(`${runtime.baseUrl}/tmf-api/customerManagement/v4/customer`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'Bench', engagedParty: { id: '1', '@referredType': 'Organization' } }),
      })
    ).json()) as { id: string };
    const createBody = JSON.stringify({ name: 'Bench BV', type: 'ORGANIZATION' });
    const scenarios = [
      { name: 'GET /tmf-api/…/customer/{id}', method: 'GET' as const, path: `/tmf-api/customerManagement/v4/customer/${created.id}`, amount: 1500 },
      { name: 'GET /api/v1/crm/customers?limit=20', method: 'GET' as const, path: '/api/v1/crm/customers?limit=20', amount: 1000 },
      { name: 'POST /api/v1/crm/customers', method: 'POST' as const, path: '/api/v1/crm/customers', body: createBody, amount: 600 },
    ];
    // The rate is the requests over the time to the last answer: autocannon's own average is per
    // whole second (600 requests in 4.01 s read as 100/s, in 5.0 s as 80/s), too coarse to compare.
    const load = (scenario: (typeof scenarios)[number]) =>
      new Promise<{ rate: number; p50: number; p99: number; failed: number }>((resolve, reject) => {
        const started = performance.now();
        let last = started;
        const instance = autocannon(
          { url: `${runtime.baseUrl}${scenario.path}`, method: scenario.method, headers, body: scenario.body, connections: 10, amount: scenario.amount },
          (error, result) =>
            error
              ? reject(error)
              : resolve({
                  rate: scenario.amount / ((last - started) / 1000),
                  p50: result.latency.p50,
                  p99: result.latency.p99,
                  failed: result.errors + result.non2xx,
                }),
        );
        instance.on('response', () => (last = performance.now()));
      });
    for (const scenario of scenarios) await load(scenario); // both JITs warm, every path taken once
    await idle();

    const rows = [];
    for (const scenario of scenarios) {
      const rates: number[] = [];
      const p50s: number[] = [];
      const p99s: number[] = [];
      const nodeMs: number[] = [];
      const javaMs: number[] = [];
      let failed = 0;
      for (let run = 0; run < runs; run++) {
        const node = process.cpuUsage();
        const javaBefore = java ? cpuMs(java) : undefined;
        const result = await load(scenario);
        await idle(); // until the stream consumers are idle again: their work is part of each request's cost
        const { user, system } = process.cpuUsage(node);
        const javaAfter = java ? cpuMs(java) : undefined;
        rates.push(result.rate);
        p50s.push(result.p50);
        p99s.push(result.p99);
        failed += result.failed;
        nodeMs.push((user + system) / 1000 / scenario.amount);
        if (javaBefore !== undefined && javaAfter !== undefined) javaMs.push((javaAfter - javaBefore) / scenario.amount);
      }
      // The DynamoDB requests behind them, in a run of their own (recording them costs time).
      const sample = { ...scenario, amount: 100 };
      const requests = await recordRequests(async () => {
        await load(sample);
        await idle();
      });
      rows.push([
        scenario.name,
        `${runs} × ${scenario.amount}`,
        withSpread(rates),
        withSpread(p50s),
        withSpread(p99s),
        withSpread(nodeMs, 1),
        javaMs.length ? withSpread(javaMs, 1) : 'n/a',
        [...countByCommand(requests)].map(([command, n]) => `${(n / sample.amount).toFixed(2)} ${command}`).join(' + '),
        failed,
      ]);
    }

    // What one CRM create writes, item by item: in a transaction each item costs 2 write units per
    // started KB in the table; each index it lands in costs more (DynamoDB Local's own count below).
    const [transaction] = (await recordRequests(() => fetch(`${runtime.baseUrl}/api/v1/crm/customers`, { method: 'POST', headers, body: createBody }))).filter(
      (r) => r.command === 'TransactWriteItemsCommand',
    );
    const items = (JSON.parse(transaction!.key) as TransactItem[]).map((entry) => {
      const item = entry.Put?.Item ?? entry.Update?.Key ?? {};
      const bytes = itemBytes(item);
      const indexes = INDEXES.filter((index) => item[index.partitionKey] !== undefined && item[index.sortKey] !== undefined).map((index) => index.name);
      return [
        itemKind(item, Boolean(entry.Update)),
        entry.Put ? bytes : `${bytes} (key: an update)`,
        2 * Math.max(1, Math.ceil(bytes / 1024)),
        indexes.join(', ') || '–',
      ];
    });
    const tableUnits = items.reduce((sum, [, , units]) => sum + Number(units), 0);
    const reported = transaction!.consumed[0];
    const byIndex = Object.entries(reported?.GlobalSecondaryIndexes ?? {}).map(([name, c]) => `${name} ${c.CapacityUnits}`);
    return [
      ...table(
        [
          'request',
          'requests',
          'req/s',
          'p50 ms',
          'p99 ms',
          'Node CPU ms / request',
          'DynamoDB Local CPU ms / request',
          'DynamoDB requests / request',
          'errors + non-2xx',
        ],
        rows,
      ),
      '',
      "10 connections. One Node process serves the gateway (JWT verification included) and runs every handler in-process, with DynamoDB Local beside it on the same two cores: these are the local runtime's figures, not Lambda's. CPU and DynamoDB requests per request include the stream consumers each request sets off (publisher, hub notifier, webhook dispatcher), measured until they are idle; the hub notifier reads its registrations for every batch here (HUB_CACHE_SECONDS=0 locally, 15 s per instance deployed).",
      '',
      `What one CRM create writes (\`POST /api/v1/crm/customers\`, an organization without email or phone): ${items.length} items in one transaction — the price of each feature a create carries. Table write units as DynamoDB bills a transaction: ${tableUnits}. DynamoDB Local reports ${reported?.CapacityUnits} units in all: ${reported?.Table?.CapacityUnits} for the table (it does not double transactional writes) and ${byIndex.join(', ')} for the indexes.`,
      '',
      ...table(['item', 'bytes (about)', 'table write units', 'indexes it is written to'], items),
    ];
  } finally {
    await runtime.stop();
  }
};

export const runThroughputInChild = (runs: number): string[] => runInChild<string[]>(import.meta.url, [String(runs)]);

await childMain(import.meta.url, ([runs]) => measureThroughput(Number(runs)));
