/**
 * Table 12: who may see what, and rate limits (issue 25). What the authorizer pays to decide a
 * caller's access (Cedar: loading the engine in a fresh process, a decision per caller profile, a
 * decision kept), what a request pays for it in the function (the same read as a caller with every
 * right and as a rep whose fields are partly hidden, side by side; a list of what a caller reaches
 * against the tenant's list), and the rate limiter's cost per request and what four instances
 * admit together against a limit. The environment must point at DynamoDB Local before this module
 * is imported.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { decide, preparePolicies, rolesOfTenant } from '../functions/auth/access-policies.ts';
import { callerAccess } from '../functions/auth/caller-access.ts';
import { writeAccessEntry, type AccessEntries, type AccessKind } from '../functions/storage/access/access-config.ts';
import { newBookkeeping } from '../functions/storage/table/bookkeeping.ts';
import { createLimiter } from '../functions/http/rate-limiter.ts';
import { operations } from '../functions/catalog.ts';
import { BUNDLE_OPTIONS } from '../lib/bundle.ts';
import { CEDAR_BUNDLING } from '../lib/function.ts';
import { call, decidedContext, uniqueTenant, type CallOptions } from '../lib/local/direct-call.ts';
import { recordRequests } from '../lib/local/request-recorder.ts';
import { countByCommand } from './requests.ts';
import { mayReach, shownToCaller } from '../functions/http/access.ts';
import { getCustomer } from '../functions/storage/customers/customers.ts';
import { fieldDefinitionsInForce } from '../functions/storage/fields/field-definitions.ts';
import type { AccessDecision } from '../functions/domain/access.ts';
import { median, percentile, table } from './stats.ts';

const ROOT = join(import.meta.dirname, '..');
const op = (name: string) => operations.find((o) => o.name === name)!;
const handlerOf = async (name: string) => (await import(join(ROOT, op(name).handler))).handler as Parameters<typeof call>[0];

const micros = (xs: number[]) => `${(median(xs) * 1000).toFixed(0)} / ${(percentile(xs, 99) * 1000).toFixed(0)}`;
const millis = (xs: number[]) => `${median(xs).toFixed(2)} / ${percentile(xs, 99).toFixed(2)}`;

/** Loading Cedar in a fresh Node process from the authorizer's bundle: compile, parse the built-in roles' policies, decide once. */
const coldCedar = async (runs: number): Promise<{ load: number[]; first: number[]; rss: number[] }> => {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-bench-cedar-'));
  try {
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `const t0 = performance.now(); const rss0 = process.memoryUsage().rss;
const { decide, preparePolicies, rolesOfTenant, loadCedar } = await import(${JSON.stringify(join(ROOT, 'functions/auth/access-policies.ts'))});
await loadCedar(); const loaded = performance.now();
const roles = rolesOfTenant([]); await preparePolicies('t@1', roles);
await decide({ roles, teams: new Map([['b', { id: 'b', name: 'B', roles: [] }]]) }, { user: 'u', teams: ['b'], roles: ['rep'], groups: [] }, 't@1');
console.log(JSON.stringify({ load: loaded - t0, first: performance.now() - loaded, rss: (process.memoryUsage().rss - rss0) / 1048576 }));`,
    );
    const out = join(dir, 'out');
    await build({ ...BUNDLE_OPTIONS, banner: { js: CEDAR_BUNDLING.banner }, entryPoints: [entry], outfile: join(out, 'index.mjs') });
    for (const command of CEDAR_BUNDLING.commandHooks.afterBundling(ROOT, out)) execFileSync('sh', ['-c', command]);
    const samples = { load: [] as number[], first: [] as number[], rss: [] as number[] };
    for (let i = 0; i < runs; i++) {
      const run = spawnSync(process.execPath, [join(out, 'index.mjs')], { cwd: tmpdir(), encoding: 'utf8' });
      const { load, first, rss } = JSON.parse(run.stdout) as { load: number; first: number; rss: number };
      samples.load.push(load);
      samples.first.push(first);
      samples.rss.push(rss);
    }
    return samples;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export const measureAccess = async (runs: number): Promise<string[]> => {
  // --- The authorizer: Cedar cold, a decision per profile, a decision kept ----------------------------
  const cold = await coldCedar(Math.max(3, Math.round(runs / 4)));
  const roles = rolesOfTenant([]);
  await preparePolicies('bench@1', roles);
  const decisions: (string | number)[][] = [];
  for (const teamCount of [1, 5, 20]) {
    const teams = new Map(Array.from({ length: teamCount }, (_, i) => [`t${i}`, { id: `t${i}`, name: `T${i}`, roles: [] }]));
    const samples: number[] = [];
    for (let i = 0; i < runs * 5; i++) {
      const start = performance.now();
      await decide({ roles, teams }, { user: `u${i}`, teams: [...teams.keys()], roles: ['manager'], groups: [] }, 'bench@1');
      samples.push(performance.now() - start);
    }
    decisions.push([`a caller of ${teamCount} team${teamCount > 1 ? 's' : ''} (Cedar: ${4 + 4 * teamCount + 12} questions)`, millis(samples)]);
  }
  const tenant = uniqueTenant();
  const put = <K extends AccessKind>(kind: K, id: string, entry: AccessEntries[K]) =>
    writeAccessEntry(tenant, kind, id, undefined, { ...entry, ...newBookkeeping('bench'), tenantId: tenant } as never, []);
  for (let i = 0; i < 5; i++) await put('team', `b${i}`, { id: `b${i}`, name: `Branch ${i}`, roles: [] });
  await put('user', 'rep', { id: 'rep', teams: ['b0'], roles: ['rep'] });
  await put('user', 'boss', { id: 'boss', teams: ['b0', 'b1', 'b2', 'b3', 'b4'], roles: ['manager'] });
  await callerAccess(tenant, 'rep', []);
  const kept: number[] = [];
  for (let i = 0; i < runs * 50; i++) {
    const start = performance.now();
    await callerAccess(tenant, 'rep', [], 0);
    kept.push(performance.now() - start);
  }

  // --- A request: the same read as a caller with every right and as a rep, side by side ---------------
  const create = await handlerOf('createCrmCustomer');
  for (let i = 0; i < 40; i++) {
    await call(create, op('createCrmCustomer'), {
      sub: 'bench',
      tenant,
      body: {
        name: `Customer ${String(i).padStart(3, '0')}`,
        type: 'PERSON',
        email: `c${i}@example.com`,
        teamId: `b${i % 5}`,
        ownerId: i % 7 === 0 ? 'rep' : 'other',
      },
    });
  }
  const list = await call(await handlerOf('listCrmCustomers'), op('listCrmCustomers'), { sub: 'bench', tenant, query: { limit: '1' } });
  const id = list.body[0].id as string;
  const get = await handlerOf('getCrmCustomer');
  const repContext = await decidedContext({ claims: { sub: 'rep', tenant, scope: 'rapport/read rapport/write' } });
  const rep: CallOptions = { sub: 'rep', tenant, access: JSON.parse(repContext.access) };
  const full: CallOptions = { sub: 'rep', tenant };
  const reads = { full: [] as number[], rep: [] as number[] };
  for (let i = 0; i < 20; i++)
    await Promise.all([call(get, op('getCrmCustomer'), { ...full, params: { id } }), call(get, op('getCrmCustomer'), { ...rep, params: { id } })]);
  for (let i = 0; i < runs * 5; i++)
    for (const [who, options] of [
      ['full', full],
      ['rep', rep],
    ] as const) {
      const start = performance.now();
      await call(get, op('getCrmCustomer'), { ...options, params: { id } });
      reads[who].push(performance.now() - start);
    }

  // What the function itself does with the decision, alone (CPU, no I/O): parse it from the authorizer's context, check the reach, take out the hidden fields.
  const stored = await getCustomer(tenant, id);
  const fieldsInForce = await fieldDefinitionsInForce(tenant, 'customer');
  const applied: number[] = [];
  for (let i = 0; i < runs * 250; i++) {
    const start = performance.now();
    const request = { caller: { access: JSON.parse(repContext.access) as AccessDecision } } as Parameters<typeof shownToCaller>[0];
    if (mayReach(request, stored!, 'read')) shownToCaller(request, stored!, fieldsInForce);
    applied.push(performance.now() - start);
  }

  // --- Lists: the tenant's, and what a rep (1 team) and a manager (5 teams) reach ----------------------
  const listHandler = await handlerOf('listCrmCustomers');
  const bossContext = await decidedContext({ claims: { sub: 'boss', tenant, scope: 'rapport/read' } });
  const listers: [string, CallOptions][] = [
    ['the tenant (every right)', { sub: 'bench', tenant }],
    ['a rep: their team, their own, their shares', rep],
    ['a manager of 5 teams', { sub: 'boss', tenant, access: JSON.parse(bossContext.access) }],
  ];
  const lists: (string | number)[][] = [];
  for (const [who, options] of listers) {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await call(listHandler, op('listCrmCustomers'), { ...options, query: { limit: '20' } });
      samples.push(performance.now() - start);
    }
    const requests = await recordRequests(() => call(listHandler, op('listCrmCustomers'), { ...options, query: { limit: '20' } }));
    lists.push([
      who,
      millis(samples),
      `${requests.length} (${[...countByCommand(requests)].map(([command, n]) => `${n} ${command}`).join(', ')})`,
      requests.reduce((sum, r) => sum + r.readUnits, 0).toFixed(1),
    ]);
  }

  // --- The rate limiter: cost per request, and four instances against one limit ------------------------
  const limiterRows: (string | number)[][] = [];
  for (const limit of [200, 2000]) {
    const instance = createLimiter();
    const limits = { tenantPerSecond: limit, userPerSecond: limit };
    const limited = uniqueTenant();
    const second = Math.floor(Date.now() / 1000) + 10;
    // A warm-up window sizes the blocks from what the instance admitted in it.
    for (let i = 0; i < limit; i++) await instance.admit(limited, 'u', limits, (second - 1) * 1000 + 1);
    const requests = await recordRequests(async () => {
      for (let i = 0; i < limit; i++) await instance.admit(limited, 'u', limits, second * 1000 + 1);
    });
    const writes = requests.filter((r) => r.write);
    limiterRows.push([
      `1 instance, ${limit}/s, ${limit} requests in a second`,
      (writes.length / limit).toFixed(3),
      (writes.reduce((sum, r) => sum + r.writeUnits, 0) / limit).toFixed(3),
      '–',
    ]);
  }
  for (const limit of [200, 2000]) {
    const limited = uniqueTenant();
    const limits = { tenantPerSecond: limit, userPerSecond: limit * 10 };
    const instances = [createLimiter(), createLimiter(), createLimiter(), createLimiter()];
    const admittedPerWindow: number[] = [];
    const base = Math.floor(Date.now() / 1000) + 100;
    let writes = 0;
    let offered = 0;
    for (let w = 0; w < 3; w++) {
      const second = (base + w) * 1000 + 1;
      const requests = await recordRequests(async () => {
        const results = await Promise.all(
          instances.map(async (instance, i) => {
            let admitted = 0;
            // Each instance is offered 40 % of the limit, 160 % in all, as parallel streams.
            for (let r = 0; r < Math.ceil(limit * 0.4); r++) if ((await instance.admit(limited, `u${i}`, limits, second)).every((s) => s.admitted)) admitted++;
            return admitted;
          }),
        );
        admittedPerWindow.push(results.reduce((a, b) => a + b, 0));
      });
      writes += requests.filter((r) => r.write).length;
      offered += Math.ceil(limit * 0.4) * 4;
    }
    limiterRows.push([
      `4 instances, ${limit}/s, offered 160 % for 3 s`,
      (writes / offered).toFixed(3),
      '–',
      `${admittedPerWindow.join(', ')} admitted of ${limit} (${(((Math.max(...admittedPerWindow) - limit) / limit) * 100).toFixed(1)} %)`,
    ]);
  }

  return [
    '*The authorizer* (only it loads Cedar): loading the engine in a fresh Node process from its bundle, then the first decision (parsing the built-in roles\u2019 policies included).',
    '',
    ...table(
      ['', 'median', 'min–max'],
      [
        ['load Cedar (ms)', median(cold.load).toFixed(0), `${Math.min(...cold.load).toFixed(0)}–${Math.max(...cold.load).toFixed(0)}`],
        ['first decision (ms)', median(cold.first).toFixed(0), `${Math.min(...cold.first).toFixed(0)}–${Math.max(...cold.first).toFixed(0)}`],
        ['memory added (MiB RSS)', median(cold.rss).toFixed(0), `${Math.min(...cold.rss).toFixed(0)}–${Math.max(...cold.rss).toFixed(0)}`],
      ],
    ),
    '',
    'A decision per caller profile (warm engine; made once per profile and tenant version, then kept), and a kept one:',
    '',
    ...table(['caller', 'ms p50 / p99'], [...decisions, ['a kept decision (the caller\u2019s entries cached)', `${micros(kept)} µs`]]),
    '',
    '*A request in the function*: the same GET of an enriched customer, as a caller with every right and as a rep (reach checked, identifiers and sensitive fields taken out), interleaved:',
    '',
    ...table(
      ['caller', 'ms p50 / p99'],
      [
        ['every right', millis(reads.full)],
        ['a rep', millis(reads.rep)],
        [
          'added (p50 / p99; the p99s are DynamoDB Local\u2019s tail)',
          `${(median(reads.rep) - median(reads.full)).toFixed(2)} / ${(percentile(reads.rep, 99) - percentile(reads.full, 99)).toFixed(2)}`,
        ],
        ['the decision applied alone: parsed, reach checked, hidden fields taken out (CPU, µs p50 / p99)', micros(applied)],
      ],
    ),
    '',
    '*Lists* of 20, 40 customers in 5 teams: the tenant\u2019s (8 shards of one index) against what a caller reaches (their teams\u2019 2 shards each, their own 8, their shares):',
    '',
    ...table(['list', 'ms p50 / p99', 'DynamoDB requests', 'read units'], lists),
    '',
    '*The rate limiter*: DynamoDB writes per admitted request (leases of token blocks), and what four instances admit together per one-second window when offered more than the limit:',
    '',
    ...table(['case', 'UpdateItem per request', 'write units per request', 'admitted per window (over the limit)'], limiterRows),
  ];
};
