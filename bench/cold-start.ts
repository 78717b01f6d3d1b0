/**
 * Table 2: the cold start of API functions — at least one of each family, and the largest bundle —
 * each against its own baseline: a handler that sends the same AWS requests with the bare SDK
 * (baseline-handler.ts), recorded from the function's own cold request (cold-start-recorder.ts).
 * A fresh Node process loads a bundle and answers one request against DynamoDB Local (and a
 * loopback SQS); the function as deployed, the same with its source map read
 * (`--enable-source-maps`: not deployed, what it would cost) and the baseline run side by side,
 * run after run, so all three see the same machine. The function runs as on a Lambda on-demand
 * cold start: its `ColdStart` metric is written. Target (README, Performance): at most 1.10× the
 * baseline at the median.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { build } from 'esbuild';
import { operations } from '../functions/catalog.ts';
import type { Operation } from '../functions/http/operation.ts';
import { BUNDLE_OPTIONS } from '../lib/bundle.ts';
import { BUNDLING, SOURCE_MAPS_NODE_OPTIONS } from '../lib/function.ts';
import { apiEvent, call, type CallOptions } from '../lib/local/direct-call.ts';
import { ensureTable } from '../lib/local/dynamodb-local.ts';
import { baselineSource } from './baseline-handler.ts';
import { runInChildAsync } from './child.ts';
import type { Recording } from './cold-start-recorder.ts';
import { startLocalSqs } from './environment.ts';
import { scenarios, seed, type Invoke } from './scenarios.ts';
import { median, percentile, table } from './stats.ts';

const ROOT = join(import.meta.dirname, '..');
/** A table of its own: the scenarios' tenant is fixed, and the tables after this one seed it too. */
const TABLE = 'bench-cold-start';
const TENANT = 'bench-ops';
const CALLER = 'ann';
/** A read and a list of TMF629, a read of each other family, and the largest API bundle (a write that also queues an SQS message). */
const MEASURED = [
  'retrieveCustomer',
  'listCustomer',
  'getCrmCustomer',
  'bianCrmRetrieve',
  'bianCaseMgmtRetrievePerformance',
  'getWebhook',
  'redeliverWebhookDelivery',
];
const TARGET = 1.1;

type Run = { ms: number; cpuMs: number; rssMiB: number };
const PROCESSES = ['fn', 'deployed', 'base'] as const;
type Process = (typeof PROCESSES)[number];

/** A function's bundle as the stack builds it, its source map included, or a baseline's (no source map); its path. */
const bundle = async (outfile: string, from: { entry: string } | { source: string }): Promise<string> => {
  await build({
    ...BUNDLE_OPTIONS,
    ...('entry' in from
      ? { entryPoints: [join(ROOT, from.entry)], sourcemap: BUNDLING.sourceMap, sourcesContent: BUNDLING.sourcesContent }
      : { stdin: { contents: from.source, resolveDir: ROOT, loader: 'js' } }),
    outfile,
  });
  return outfile;
};

/**
 * One fresh Node process loading `file` and answering `event`: wall time from spawn to exit, CPU
 * time, peak memory. Not spawnSync: the process calls the loopback SQS this process serves.
 */
const coldRun = (name: string, file: string, event: unknown, env: NodeJS.ProcessEnv): Promise<Run> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(ROOT, 'bench/cold-start-runner.mjs'), file, JSON.stringify(event), name], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject).on('close', () => {
      const ms = performance.now() - started;
      const last = stdout.trimEnd().split('\n').at(-1) ?? '';
      const result = (last.startsWith('{') ? JSON.parse(last) : {}) as { cpuMs?: number; rssMiB?: number; status?: number };
      if (result.status === undefined) reject(new Error(`${name} (${file}): ${stderr.slice(-2000)}`));
      else if (result.status >= 300) reject(new Error(`${name} (${file}) answered ${result.status}: every cold request must succeed`));
      else resolve({ ms, cpuMs: result.cpuMs ?? 0, rssMiB: result.rssMiB ?? 0 });
    });
  });

/** What the requests are, e.g. `Query ×8, BatchGet`. */
const describe = (recording: Recording): string => {
  const counts = new Map<string, number>();
  for (const r of recording.requests) {
    const name = `${r.client.startsWith('DynamoDB') ? '' : `${r.client.replace(/Client$/, '')} `}${r.command.replace(/Command$/, '')}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, n]) => (n > 1 ? `${name} ×${n}` : name)).join(', ');
};

const kb = (file: string) => (statSync(file).size / 1024).toFixed(0);
const p50p90 = (xs: number[], digits = 0) => `${median(xs).toFixed(digits)} (${percentile(xs, 90).toFixed(digits)})`;

/** The environment must point at DynamoDB Local (environment.ts, `pointHandlersAt`). */
export const measureColdStarts = async (runs: number): Promise<string[]> => {
  const previousTable = process.env.TABLE_NAME;
  process.env.TABLE_NAME = TABLE;
  await ensureTable(new DynamoDBClient({}), TABLE);
  const stopSqs = await startLocalSqs();
  const dir = mkdtempSync(join(tmpdir(), 'rapport-cold-start-'));
  try {
    const byName = new Map(operations.map((op) => [op.name, op]));
    const invoke: Invoke = async (name, options) => {
      const op = byName.get(name)!;
      const answer = await call((await import(join(ROOT, op.handler))).handler, op, { tenant: TENANT, sub: CALLER, ...options });
      if (answer.status >= 300) throw new Error(`${name} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return answer.body as Record<string, unknown>;
    };
    const prepared = scenarios(invoke, await seed(invoke));
    // As Lambda runs an on-demand cold start of a function: its ColdStart metric is written.
    const lambdaEnv = (op: Operation): NodeJS.ProcessEnv => ({
      ...process.env,
      NODE_OPTIONS: '',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_FUNCTION_NAME: op.name,
      POWERTOOLS_SERVICE_NAME: op.family,
      POWERTOOLS_METRICS_DISABLED: 'false',
    });
    const subjects = [];
    for (const name of MEASURED) {
      const op = byName.get(name)!;
      // The same request every run: `prepare` sets up again what it needs (a settled delivery to redeliver).
      const prepare = () => prepared[name]!(0);
      const options: CallOptions = await prepare();
      const event = apiEvent(op, { tenant: TENANT, sub: CALLER, ...options });
      const recording = await runInChildAsync<Recording>(new URL('./cold-start-recorder.ts', import.meta.url).href, [
        op.handler,
        JSON.stringify(event),
        op.name,
      ]);
      if (recording.status >= 300) throw new Error(`${name} answered ${recording.status} when recorded`);
      const env = lambdaEnv(op);
      const file = await bundle(join(dir, `${name}.mjs`), { entry: op.handler });
      const baseline = await bundle(join(dir, `${name}.baseline.mjs`), { source: baselineSource(recording.requests) });
      subjects.push({
        op,
        prepare,
        event,
        recording,
        file,
        baseline,
        // The function as deployed; the same with its source map read as it loads (not deployed: lib/function.ts); its baseline.
        processes: { fn: { file, env }, deployed: { file, env: { ...env, NODE_OPTIONS: SOURCE_MAPS_NODE_OPTIONS } }, base: { file: baseline, env } },
        runs: [] as Record<Process, Run>[],
      });
    }
    // One round unrecorded first (files into the page cache), then `runs` rounds; the order within each round turns.
    for (let round = -1; round < runs; round++) {
      for (const s of subjects) {
        const order = PROCESSES.map((_, i) => PROCESSES[(i + round + 1) % PROCESSES.length]!);
        const results: Partial<Record<Process, Run>> = {};
        for (const key of order) {
          await s.prepare();
          results[key] = await coldRun(s.op.name, s.processes[key].file, s.event, s.processes[key].env);
        }
        if (round >= 0) s.runs.push(results as Record<Process, Run>);
      }
    }
    const rows = subjects.map((s) => {
      const ratios = (key: Process, measure: keyof Run = 'ms') => s.runs.map((r) => r[key][measure] / r.base[measure]);
      const verdict = (key: Process) => (median(ratios(key)) <= TARGET ? 'yes' : 'no');
      return [
        `${s.op.family}: ${s.op.name}`,
        describe(s.recording),
        `${kb(s.file)} / ${kb(s.baseline)}`,
        p50p90(s.runs.map((r) => r.base.ms)),
        p50p90(s.runs.map((r) => r.fn.ms)),
        p50p90(ratios('fn'), 2),
        p50p90(ratios('fn', 'cpuMs'), 2),
        p50p90(s.runs.map((r) => r.deployed.ms)),
        p50p90(ratios('deployed'), 2),
        p50p90(ratios('deployed', 'cpuMs'), 2),
        median(s.runs.map((r) => r.deployed.rssMiB)).toFixed(0),
        `${verdict('fn')} / ${verdict('deployed')}`,
      ];
    });
    return [
      ...table(
        [
          'function',
          'AWS requests (the baseline sends the same)',
          'KB function / baseline',
          'baseline ms p50 (p90)',
          'function ms p50 (p90)',
          'ratio p50 (p90)',
          'CPU ratio p50 (p90)',
          `with ${SOURCE_MAPS_NODE_OPTIONS} (not deployed) ms p50 (p90)`,
          'ratio p50 (p90)',
          'CPU ratio p50 (p90)',
          'peak RSS MiB',
          `≤ ${TARGET.toFixed(2)}×: function / with source maps`,
        ],
        rows,
      ),
      '',
      `${runs} runs; in each, the function, the function with source maps and its baseline each start a fresh Node process, one after the other (the order turning run by run); each ratio is taken within its run, then its median and p90 over the runs. Milliseconds: from spawning the process to its exit (Node's start, loading the bundle, one request against DynamoDB Local, the function's ColdStart metric). CPU ratio: the processes' own CPU time, which other work on the machine disturbs less. Baseline: a handler of the bare SDK sending the requests the function sent on the same cold request, recorded first (same commands, inputs and overlap), bundled on its own. Function: the bundle as the stack builds and deploys it (no NODE_OPTIONS). With source maps: the same under --enable-source-maps, for which Node reads and parses the bundle's source map as it loads it — what mapping stack traces at run time would cost, and why the stack does not (lib/function.ts). The largest API bundle is redeliverWebhookDelivery (table 1).`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await stopSqs();
    if (previousTable === undefined) delete process.env.TABLE_NAME;
    else process.env.TABLE_NAME = previousTable;
  }
};
