/**
 * `npm run bench`: writes bench/RESULTS.md — bundle sizes, cold start against the minimal GetItem
 * handler (side by side, same run), and the due sweep's reads at growing table sizes. Every figure
 * is the median of several runs with its spread (min–max). Loopback only; no timing is asserted.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import autocannon from 'autocannon';
import { operations, eventRules, schedules, streamPublisher } from '../functions/catalog.ts';
import { bundleFunction } from '../lib/bundle.ts';
import { startDynamoDbLocal, ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION } from '../lib/local/dynamodb-local.ts';
import { apiEvent } from '../test/support/api-event.ts';

const ROOT = join(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[], digits = 0) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
const out: string[] = [];
const section = (title: string, lines: string[]) => out.push(`## ${title}`, '', ...lines, '');

// 1. Bundle sizes -------------------------------------------------------------------------------
const entries = [
  ...operations.map((op) => ({ name: op.name, file: op.handler })),
  ...eventRules.map((r) => ({ name: r.name, file: r.handler })),
  ...schedules.map((s) => ({ name: s.name, file: s.handler })),
  { name: streamPublisher.name, file: streamPublisher.handler },
];
const bundles = [];
for (const entry of entries) bundles.push({ ...entry, ...(await bundleFunction(entry.file)) });
bundles.sort((a, b) => b.bytes - a.bytes);
const largest = bundles[0]!;
const byPackage: Record<string, number> = {};
for (const [file, bytes] of Object.entries(largest.inputs)) {
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? 'rapport (functions/)';
  byPackage[pkg] = (byPackage[pkg] ?? 0) + bytes;
}
section('1. Bundle size (esbuild, minified ESM, as the stack builds it)', [
  '| function | KB |',
  '|---|---|',
  ...bundles.map((b) => `| ${b.name} | ${(b.bytes / 1024).toFixed(1)} |`),
  '',
  `Largest: ${largest.name}. What it is made of (KB): ${Object.entries(byPackage).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([p, b]) => `${p} ${(b / 1024).toFixed(0)}`).join(', ')}.`,
]);

// 2. Cold start --------------------------------------------------------------------------------------
const dynamo = await startDynamoDbLocal({});
try {
  Object.assign(process.env, { AWS_REGION: LOCAL_REGION, AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, TABLE_NAME: 'bench', POWERTOOLS_LOG_LEVEL: 'SILENT' });
  await ensureTable(dynamo.client, 'bench');
  const dir = mkdtempSync(join(tmpdir(), 'rapport-bench-'));
  const write = async (name: string, entry: string) => {
    const file = join(dir, `${name}.mjs`);
    await build({ entryPoints: [join(ROOT, entry)], bundle: true, minify: true, format: 'esm', platform: 'node', target: 'node24', mainFields: ['module', 'main'], outfile: file, logLevel: 'silent', banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
    return file;
  };
  const representative = ['retrieveCustomer', 'getCrmCustomer', 'bianCrmRetrieve', 'bianCaseMgmtRetrievePerformance'].map((name) => operations.find((op) => op.name === name)!);
  const subjects = [
    { name: 'baseline (DynamoDB client + GetItem)', file: await write('baseline', 'bench/baseline-handler.ts'), event: {} },
    ...(await Promise.all(representative.map(async (op) => ({ name: `${op.family}: ${op.name}`, file: await write(op.name, op.handler), event: apiEvent(op, { tenant: 'bench', params: Object.fromEntries([...op.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1]!, 'none'])) }) })))),
  ];
  const times: Record<string, number[]> = {};
  const memory: Record<string, number[]> = {};
  for (let run = 0; run < RUNS; run++) {
    for (const subject of subjects) {
      const started = performance.now();
      const child = spawnSync(process.execPath, [join(ROOT, 'bench/cold-start-runner.mjs'), subject.file, JSON.stringify(subject.event)], { env: process.env, encoding: 'utf8' });
      const wall = performance.now() - started;
      const result = JSON.parse(child.stdout || '{}') as { ms?: number; rssMiB?: number };
      if (!result.ms) throw new Error(`${subject.name}: ${child.stderr}`);
      (times[subject.name] ??= []).push(wall);
      (memory[subject.name] ??= []).push(result.rssMiB ?? 0);
    }
  }
  const base = median(times[subjects[0]!.name]!);
  section(`2. Cold start (fresh Node process: load the bundle, answer one request against DynamoDB Local; median of ${RUNS}, side by side)`, [
    '| bundle | KB | process ms (median, min–max) | vs baseline | peak RSS MiB |',
    '|---|---|---|---|---|',
    ...subjects.map((s) => {
      const kb = (statSync(s.file).size / 1024).toFixed(0);
      return `| ${s.name} | ${kb} | ${median(times[s.name]!).toFixed(0)} (${spread(times[s.name]!)}) | ${(median(times[s.name]!) / base).toFixed(2)} | ${median(memory[s.name]!).toFixed(0)} |`;
    }),
  ]);
} finally {
  await dynamo.stop();
}

// 6. Throughput through the local runtime (loopback only, a fixed number of requests) ----------
{
  const { startRuntime } = await import('../lib/local/runtime.ts');
  const { loadDevKey, signDevToken } = await import('../lib/local/dev-tokens.ts');
  const { STATE_DIR } = await import('../lib/local/state-dir.ts');
  const runtime = await startRuntime({ port: 0, inMemory: true, schedulesEnabled: false });
  try {
    const authorization = `Bearer ${signDevToken(loadDevKey(STATE_DIR), { sub: 'bench', tenant: 'bench-throughput' })}`;
    const headers = { authorization, 'content-type': 'application/json' };
    const created = (await (await fetch(`${runtime.baseUrl}/tmf-api/customerManagement/v4/customer`, { method: 'POST', headers, body: JSON.stringify({ name: 'Bench', engagedParty: { id: '1', '@referredType': 'Organization' } }) })).json()) as { id: string };
    const scenarios = [
      { name: 'GET /tmf-api/…/customer/{id}', method: 'GET' as const, path: `/tmf-api/customerManagement/v4/customer/${created.id}`, amount: 2000 },
      { name: 'POST /api/v1/crm/customers', method: 'POST' as const, path: '/api/v1/crm/customers', body: JSON.stringify({ name: 'Bench BV', type: 'ORGANIZATION' }), amount: 1000 },
    ];
    const rows = [];
    for (const scenario of scenarios) {
      const result = await autocannon({ url: `${runtime.baseUrl}${scenario.path}`, method: scenario.method, headers, body: scenario.body, connections: 10, amount: scenario.amount });
      rows.push(`| ${scenario.name} | ${scenario.amount} | 10 | ${result.requests.average.toFixed(0)} | ${result.latency.p50} | ${result.latency.p99} | ${result.errors + result.non2xx} |`);
    }
    section('6. Throughput through the local runtime (loopback, autocannon, fixed request count)', [
      '| request | requests | connections | req/s (mean) | p50 ms | p99 ms | errors + non-2xx |',
      '|---|---|---|---|---|---|---|',
      ...rows,
      '',
      'One Node process serves the gateway and runs every handler in-process, with DynamoDB Local beside it on the same two cores: these are the local runtime\'s figures, not Lambda\'s.',
    ]);
  } finally {
    await runtime.stop();
  }
}

const header = [
  '# Rapport benchmark results',
  '',
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB. Node ${process.version}. Date: ${new Date().toISOString()}.`,
  'Written by `npm run bench`; shared, noisy machines: read the ratios (measured side by side in one run), not the absolute times.',
  '',
];
writeFileSync(join(ROOT, 'bench/RESULTS.md'), [...header, ...out].join('\n'));
process.stdout.write(`${[...header, ...out].join('\n')}\n`);
