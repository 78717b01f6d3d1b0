/**
 * Table 2: for a representative function of each family, a fresh Node process loads the bundle and
 * answers one request against DynamoDB Local; side by side with the baseline handler (a DynamoDB
 * client and one GetItem), interleaved run by run so both see the same machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { operations } from '../functions/catalog.ts';
import type { Operation } from '../functions/http/operation.ts';
import { apiEvent } from '../lib/local/direct-call.ts';
import { median, table, withSpread } from './stats.ts';

const ROOT = join(import.meta.dirname, '..');
const REPRESENTATIVES = ['retrieveCustomer', 'getCrmCustomer', 'bianCrmRetrieve', 'bianCaseMgmtRetrievePerformance'];

/**
 * What each representative reads: records made through the real handlers first, so every cold
 * request is a successful read (200), like the baseline's GetItem of the same customer.
 */
const seedReads = async (): Promise<Record<string, Record<string, string>>> => {
  const { call } = await import('../lib/local/direct-call.ts');
  const { keys } = await import('../functions/storage/table/keys.ts');
  const { db, tableName } = await import('../functions/storage/table/db.ts');
  const { PutCommand, GetCommand } = await import('@aws-sdk/lib-dynamodb');
  const invoke = async (name: string, options: Parameters<typeof call>[2]) => {
    const op = operations.find((o) => o.name === name)!;
    const answer = await call((await import(`../${op.handler}`)).handler, op, { tenant: 'bench', ...options });
    if (answer.status >= 300) throw new Error(`${name}: ${answer.status}`);
    return answer.body as Record<string, string>;
  };
  const customer = (await invoke('createCrmCustomer', { body: { name: 'Cold Start', type: 'ORGANIZATION', ownerId: 'ann' } })).id!;
  // The baseline reads the same customer under a fixed key.
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: keys.customer('bench', customer) }));
  await db.send(new PutCommand({ TableName: tableName(), Item: { ...Item, ...keys.customer('bench', 'none') } }));
  const plan = (await invoke('bianCrmCreate', { body: {} })).CustomerRelationshipManagementPlanReference!;
  const casePlan = (await invoke('bianCaseMgmtCreate', { body: {} })).CustomerCaseManagementPlanReference!;
  await invoke('bianCaseMgmtUpdatePerformance', { params: { customercasemanagementid: casePlan, performanceid: 'p1' }, body: {} });
  return {
    retrieveCustomer: { id: customer },
    getCrmCustomer: { id: customer },
    bianCrmRetrieve: { customerrelationshipmanagementid: plan },
    bianCaseMgmtRetrievePerformance: { customercasemanagementid: casePlan, performanceid: 'p1' },
  };
};

export const measureColdStarts = async (runs: number): Promise<string[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-bench-'));
  const write = async (name: string, entry: string) => {
    const file = join(dir, `${name}.mjs`);
    await build({
      entryPoints: [join(ROOT, entry)],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      target: 'node24',
      mainFields: ['module', 'main'],
      outfile: file,
      logLevel: 'silent',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    return file;
  };
  const representatives = REPRESENTATIVES.map((name) => operations.find((op) => op.name === name)!);
  const params = await seedReads();
  const eventFor = (op: Operation) => apiEvent(op, { tenant: 'bench', params: params[op.name] });
  const subjects = [
    { name: 'baseline (DynamoDB client + GetItem)', file: await write('baseline', 'bench/baseline-handler.ts'), event: {} },
    ...(await Promise.all(
      representatives.map(async (op) => ({ name: `${op.family}: ${op.name}`, file: await write(op.name, op.handler), event: eventFor(op) })),
    )),
  ];
  const times: Record<string, number[]> = {};
  const ratios: Record<string, number[]> = {};
  const memory: Record<string, number[]> = {};
  for (let run = 0; run < runs; run++) {
    let baseline = 0;
    for (const subject of subjects) {
      const started = performance.now();
      const child = spawnSync(process.execPath, [join(ROOT, 'bench/cold-start-runner.mjs'), subject.file, JSON.stringify(subject.event)], {
        env: process.env,
        encoding: 'utf8',
      });
      const wall = performance.now() - started;
      const result = JSON.parse(child.stdout || '{}') as { ms?: number; rssMiB?: number; status?: number };
      if (!result.ms) throw new Error(`${subject.name}: ${child.stderr.slice(-2000)}`);
      if (result.status !== 200) throw new Error(`${subject.name} answered ${result.status}: every cold request must be a successful read`);
      if (subject === subjects[0]) baseline = wall;
      times[subject.name] = [...(times[subject.name] ?? []), wall];
      ratios[subject.name] = [...(ratios[subject.name] ?? []), wall / baseline];
      memory[subject.name] = [...(memory[subject.name] ?? []), result.rssMiB ?? 0];
    }
  }
  return [
    ...table(
      ['bundle', 'KB', 'process ms', 'vs baseline', 'peak RSS MiB'],
      subjects.map((s) => [
        s.name,
        (statSync(s.file).size / 1024).toFixed(0),
        withSpread(times[s.name]!),
        withSpread(ratios[s.name]!, 2),
        median(memory[s.name]!).toFixed(0),
      ]),
    ),
    '',
    `${runs} runs, each running every bundle once in turn; the ratio is taken within a run. Every request is a successful read of records made first (the baseline reads the same customer); the bundles are as the stack builds them, without source maps.`,
  ];
};
