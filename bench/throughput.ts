/**
 * Table 6: requests per second and errors through the local runtime (loopback, autocannon, fixed
 * request counts). Runs in a process of its own (`runThroughputInChild`): the runtime configures
 * the handlers' DynamoDB client, which must not be one an earlier table already created.
 */
import autocannon from 'autocannon';
import { startRuntime } from '../lib/local/runtime.ts';
import { loadDevKey, signDevToken } from '../lib/local/dev-tokens.ts';
import { STATE_DIR } from '../lib/local/state-dir.ts';
import { childMain, runInChild } from './child.ts';
import { table, withSpread } from './stats.ts';

export const measureThroughput = async (runs: number): Promise<string[]> => {
  const runtime = await startRuntime({ port: 0, inMemory: true, schedulesEnabled: false });
  try {
    const authorization = `Bearer ${await signDevToken(loadDevKey(STATE_DIR), { sub: 'bench', tenant: 'bench-throughput' })}`;
    const headers = { authorization, 'content-type': 'application/json' };
    const created = (await (
      await fetch(`${runtime.baseUrl}/tmf-api/customerManagement/v4/customer`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'Bench', engagedParty: { id: '1', '@referredType': 'Organization' } }),
      })
    ).json()) as { id: string };
    const scenarios = [
      { name: 'GET /tmf-api/…/customer/{id}', method: 'GET' as const, path: `/tmf-api/customerManagement/v4/customer/${created.id}`, amount: 1500 },
      { name: 'GET /api/v1/crm/customers?limit=20', method: 'GET' as const, path: '/api/v1/crm/customers?limit=20', amount: 1000 },
      {
        name: 'POST /api/v1/crm/customers',
        method: 'POST' as const,
        path: '/api/v1/crm/customers',
        body: JSON.stringify({ name: 'Bench BV', type: 'ORGANIZATION' }),
        amount: 600,
      },
    ];
    const rows = [];
    for (const scenario of scenarios) {
      const rates: number[] = [];
      const p50s: number[] = [];
      const p99s: number[] = [];
      let errors = 0;
      for (let run = 0; run < runs; run++) {
        const result = await autocannon({
          url: `${runtime.baseUrl}${scenario.path}`,
          method: scenario.method,
          headers,
          body: scenario.body,
          connections: 10,
          amount: scenario.amount,
        });
        rates.push(result.requests.average);
        p50s.push(result.latency.p50);
        p99s.push(result.latency.p99);
        errors += result.errors + result.non2xx;
      }
      rows.push([scenario.name, `${runs} × ${scenario.amount}`, withSpread(rates), withSpread(p50s), withSpread(p99s), errors]);
    }
    return [
      ...table(['request', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'errors + non-2xx (all runs)'], rows),
      '',
      "10 connections. One Node process serves the gateway (JWT verification included) and runs every handler in-process, with DynamoDB Local beside it on the same cores: these are the local runtime's figures, not Lambda's.",
    ];
  } finally {
    await runtime.stop();
  }
};

export const runThroughputInChild = (runs: number): string[] => runInChild<string[]>(import.meta.url, [String(runs)]);

await childMain(import.meta.url, ([runs]) => measureThroughput(Number(runs)));
