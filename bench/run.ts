/**
 * `npm run bench`: writes bench/RESULTS.md with fifteen tables — bundle sizes, cold start against a
 * baseline sending the same requests with the bare SDK, warm latency per operation against its own DynamoDB time, DynamoDB
 * requests and capacity per operation, the due sweep at growing table sizes, throughput through
 * the local runtime, cost vs tenant size, concurrent writers on one record, a customer's life (export, delete, restore, erasure, purge), webhooks and the event feed, custom fields, access (roles, field security, rate limits), search (five typical searches at growing tenants) how soon a write is searchable, and bulk import. Loopback only; no timing is asserted anywhere. `BENCH_ONLY=3,4` runs a subset
 * and prints it without writing the file; `BENCH_QUICK=1` uses fewer runs and smaller tables.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '../lib/local/dynamodb-local.ts';
import { measureBundles } from './bundle-sizes.ts';
import { pointHandlersAt, startLocalSqs } from './environment.ts';
import { measureColdStarts } from './cold-start.ts';
import { measureSweepScaling } from './sweep-scaling.ts';
import { runThroughputInChild } from './throughput.ts';
import { runWebhooksInChild } from './webhooks.ts';
import { runSearchLagInChild } from './search-lag.ts';
import { runImportsInChild } from './imports.ts';
import { runRoundTripInChild } from './import-roundtrip.ts';
import { measureTenantScaling } from './tenant-scaling.ts';
import { measureClient } from './client.ts';

const ROOT = join(import.meta.dirname, '..');
const quick = process.env.BENCH_QUICK === '1';
const only = process.env.BENCH_ONLY?.split(',').map(Number);
const wanted = (n: number) => !only || only.includes(n);
const started = performance.now();
const sections: string[] = [];
const section = (title: string, lines: string[]) => {
  sections.push(`## ${title}`, '', ...lines, '');
  process.stderr.write(`bench: ${title} done at ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
};

if (wanted(1)) section('1. Bundle size (esbuild, minified ESM, as the stack builds it)', await measureBundles());

if ([2, 3, 4, 8, 9, 11, 12].some(wanted)) {
  const dynamo = await startDynamoDbLocal({});
  try {
    pointHandlersAt(dynamo.endpoint, 'bench');
    const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    await ensureTable(client, 'bench');
    if (wanted(2))
      section(
        '2. Cold start against a baseline sending the same requests (fresh Node process: load the bundle, answer one request against DynamoDB Local)',
        await measureColdStarts(quick ? 3 : 25),
      );
    if (wanted(3) || wanted(4)) {
      const stopSqs = await startLocalSqs();
      // Imported only now: the handlers' DynamoDB client reads the endpoint when it is created.
      const { measureOperations } = await import('./operations.ts');
      const { latency, capacity } = await measureOperations(3, quick ? 10 : 40).finally(stopSqs);
      if (wanted(3)) section('3. Warm latency per operation, in-process against DynamoDB Local, against its own DynamoDB time', latency);
      if (wanted(4)) section('4. DynamoDB requests and consumed capacity per operation', capacity);
    }
    if (wanted(8)) {
      const { measureContention } = await import('./contention.ts');
      section(
        '8. Writers on one record: concurrent changes without a conflict',
        await measureContention(quick ? [10, 30] : [10, 30, 60, 100, 150], quick ? 1 : 3),
      );
    }
    if (wanted(9)) {
      const { measureLifecycle } = await import('./lifecycle.ts');
      section(
        '9. A customer’s life: export, delete, restore, erasure, merge, unmerge and purge at 10 and 10,000 events',
        await measureLifecycle(quick ? [10, 1_000] : [10, 10_000]),
      );
    }
    if (wanted(11)) {
      const { measureCustomFields } = await import('./custom-fields.ts');
      section(
        '11. Custom fields: a customer write with 0, 20 and 200 fields, checking its values, a definition change reaching an instance',
        await measureCustomFields([0, 20, 200], quick ? 5 : 20),
      );
    }
    if (wanted(12)) {
      const { measureAccess } = await import('./access.ts');
      section(
        '12. Who may see what: the authorizer’s decision (Cedar), what a request pays for it, lists of what a caller reaches, the rate limiter',
        await measureAccess(quick ? 8 : 40),
      );
    }
  } finally {
    await dynamo.stop();
  }
}

if (wanted(5)) section('5. Due sweep scaling: same due items, growing table', measureSweepScaling(quick ? [1_000, 5_000] : [1_000, 10_000, 50_000], 10, 3));

if (wanted(7))
  section(
    '7. Cost vs tenant size: every list, the enriched read and each kind of write at growing tenants',
    measureTenantScaling(quick ? [1_000, 5_000] : [1_000, 10_000, 100_000], quick ? 5 : 9),
  );

if (wanted(13)) {
  const { measureSearch } = await import('./search.ts');
  section(
    '13. Search: five typical searches in the PostgreSQL projection at growing tenants',
    await measureSearch(quick ? [1_000, 10_000] : [10_000, 100_000, ...(process.env.BENCH_SEARCH_MILLION ? [1_000_000] : [])], quick ? 5 : 30),
  );
}

if (wanted(14))
  section(
    '14. Search: how soon a committed write is searchable — the projector’s lag through the local runtime under a steady write load',
    runSearchLagInChild(quick ? 5 : 20, quick ? [10] : [10, 40]),
  );

if (wanted(15))
  section(
    '15. Bulk import through the local runtime: rows a second, DynamoDB requests and units a row, the splitter’s memory',
    runImportsInChild(quick ? 500 : 2000, quick ? 32 : 1024),
  );

if (wanted(16))
  section('16. Bulk import’s round trip at scale: import, re-run, export and revert of a mixed file', runRoundTripInChild(quick ? 5000 : 100_000));

if (wanted(17)) section('17. The TypeScript client: its bundle, and what a call through it adds to a bare fetch', await measureClient(quick ? 100 : 500));

if (wanted(6)) section('6. Throughput through the local runtime (loopback, autocannon, fixed request count)', runThroughputInChild(quick ? 1 : 3));

if (wanted(10))
  section(
    '10. Webhooks and the event feed through the local runtime: delivery latency, what a delivery costs, reading the feed',
    runWebhooksInChild(quick ? 100 : 400),
  );

const header = [
  '# Rapport benchmark results',
  '',
  `Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB. Node ${process.version}. Date: ${new Date().toISOString()}. Whole run: ${((performance.now() - started) / 1000 / 60).toFixed(1)} min.`,
  'Written by `npm run bench`. Figures are medians of several runs with the spread (min–max) in brackets. These are shared, noisy machines: read the ratios (measured side by side in one run), not the absolute times.',
  '',
];
const text = [...header, ...sections].join('\n');
if (!only && !quick) writeFileSync(join(ROOT, 'bench/RESULTS.md'), text);
process.stdout.write(`${text}\n`);
