/**
 * Table 14: how soon a committed change is searchable (issue 26) — the projector's lag through the
 * local runtime under a steady write load. CRM customers are created at a fixed rate, each a 2xx
 * from the runtime; the lag of each is the time from its 2xx to its row being live in the search
 * projection (PGlite, read by this process: the runtime runs in it), polled every 5 ms. Then the
 * same for renames (PATCH): from the 2xx to the row holding the new version. Runs in a process of
 * its own (`runSearchLagInChild`), as table 6 does.
 */
import { startRuntime } from '../lib/local/runtime.ts';
import { loadDevKey, signDevToken } from '../lib/local/dev-tokens.ts';
import { STATE_DIR } from '../lib/local/state-dir.ts';
import { searchDatabase } from '../functions/storage/search/customer-search.ts';
import { childMain, runInChild } from './child.ts';
import { median, percentile, table } from './stats.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const measureSearchLag = async (seconds: number, rates: readonly number[]): Promise<string[]> => {
  const runtime = await startRuntime({ port: 0, inMemory: true, schedulesEnabled: false });
  const db = await searchDatabase();
  const rows: (string | number)[][] = [];
  try {
    for (const rate of rates) {
      const tenant = `bench-lag-${rate}`;
      const authorization = `Bearer ${await signDevToken(loadDevKey(STATE_DIR), { sub: 'bench', tenant })}`;
      const call = async (method: string, path: string, body: unknown) => {
        const response = await fetch(`${runtime.baseUrl}${path}`, {
          method,
          headers: { authorization, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
        const version = Number((response.headers.get('etag') ?? '').replace(/\D/g, ''));
        return { body: (await response.json()) as Record<string, unknown>, at: performance.now(), version };
      };
      for (const kind of ['create', 'rename'] as const) {
        const ids: string[] = [];
        if (kind === 'rename') {
          // The customers to rename, created first and left to settle.
          for (let i = 0; i < rate * seconds; i += 10)
            ids.push(
              ...(await Promise.all(
                Array.from({ length: 10 }, async (_, j) =>
                  String((await call('POST', '/api/v1/crm/customers', { name: `Settled ${i + j}`, type: 'PERSON' })).body.id),
                ),
              )),
            );
          await fetch(`${runtime.baseUrl}/_local/idle`, { method: 'POST' });
        }
        /** Answered writes still to be seen: id → [2xx time, the version the row must reach]. */
        const pending = new Map<string, [number, number]>();
        const lags: number[] = [];
        let polling = true;
        const poller = (async () => {
          while (polling || pending.size > 0) {
            if (pending.size > 0) {
              const found = await db.query(
                'SELECT id, version::float8 AS version FROM customer_search WHERE tenant_id = $1 AND live AND id IN (SELECT jsonb_array_elements_text($2::jsonb))',
                [tenant, JSON.stringify([...pending.keys()])],
              );
              const now = performance.now();
              for (const row of found) {
                const waiting = pending.get(String(row.id));
                if (waiting && Number(row.version) >= waiting[1]) {
                  lags.push(now - waiting[0]);
                  pending.delete(String(row.id));
                }
              }
            }
            await sleep(5);
          }
        })();
        const writes: Promise<void>[] = [];
        const started = performance.now();
        const total = rate * seconds;
        for (let i = 0; i < total; i++) {
          const due = started + (i * 1000) / rate;
          const wait = due - performance.now();
          if (wait > 0) await sleep(wait);
          writes.push(
            (async () => {
              if (kind === 'create') {
                const { body, at } = await call('POST', '/api/v1/crm/customers', { name: `Lag ${i}`, type: 'PERSON' });
                pending.set(String(body.id), [at, 1]);
              } else {
                const id = ids[i]!;
                const { at, version } = await call('PATCH', `/api/v1/crm/customers/${id}`, { name: `Renamed ${i}` });
                if (!version) throw new Error('a rename answered without an ETag');
                pending.set(id, [at, version]);
              }
            })(),
          );
        }
        await Promise.all(writes);
        const achieved = total / ((performance.now() - started) / 1000);
        polling = false;
        await poller;
        rows.push([
          kind === 'create' ? 'CRM create' : 'CRM rename (PATCH)',
          `${rate}/s (${achieved.toFixed(0)}/s achieved)`,
          lags.length,
          median(lags).toFixed(0),
          percentile(lags, 95).toFixed(0),
          percentile(lags, 99).toFixed(0),
          Math.max(...lags).toFixed(0),
        ]);
      }
    }
  } finally {
    await runtime.stop();
  }
  return [
    "Every write answered 2xx, then polled in the projection every 5 ms (the poll shares PGlite's one connection with the projector). Local runtime: outbox → stream consumer → the bus → the projector rule, all in one process.",
    '',
    ...table(['write', 'rate', 'writes', 'lag p50 ms', 'p95', 'p99', 'max'], rows),
  ];
};

export const runSearchLagInChild = (seconds: number, rates: readonly number[]): string[] =>
  runInChild<string[]>(import.meta.url, [String(seconds), rates.join(',')]);

await childMain(import.meta.url, ([seconds, rates]) => measureSearchLag(Number(seconds), rates!.split(',').map(Number)));
