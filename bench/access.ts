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
import { decisionOf, grantOf, rolesOfTenant, warmGrants, type RoleGrant } from '../functions/auth/access-policies.ts';
import { callerAccess } from '../functions/auth/caller-access.ts';
import { getAccessEntry, writeAccessEntry, type AccessEntries, type AccessKind } from '../functions/storage/access/access-config.ts';
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
import { FIELD_ACCESS, FIELD_GROUPS, RECORD_SCOPES, type AccessDecision, type RoleDefinition } from '../functions/domain/access.ts';
import { median, percentile, table } from './stats.ts';

const ROOT = join(import.meta.dirname, '..');
const op = (name: string) => operations.find((o) => o.name === name)!;
const handlerOf = async (name: string) => (await import(join(ROOT, op(name).handler))).handler as Parameters<typeof call>[0];

const micros = (xs: number[]) => `${(median(xs) * 1000).toFixed(0)} / ${(percentile(xs, 99) * 1000).toFixed(0)}`;
const millis = (xs: number[]) => `${median(xs).toFixed(2)} / ${percentile(xs, 99).toFixed(2)}`;

/** Loading Cedar in a fresh Node process from the authorizer's bundle, then what the authorizer's init asks it: everyone's and the built-in roles' grants. */
const coldCedar = async (runs: number): Promise<{ load: number[]; first: number[]; rss: number[] }> => {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-bench-cedar-'));
  try {
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `const t0 = performance.now(); const rss0 = process.memoryUsage().rss;
const { warmGrants, loadCedar } = await import(${JSON.stringify(join(ROOT, 'functions/auth/access-policies.ts'))});
await loadCedar(); const loaded = performance.now();
await warmGrants();
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
  // --- The authorizer: Cedar at init, a role's grant, a caller's decision from grants, a request's share -----------------
  const cold = await coldCedar(Math.max(3, Math.round(runs / 4)));
  await warmGrants();
  const roleGrants: number[] = [];
  for (let i = 0; i < runs * 5; i++) {
    // A role definition this instance has not met (a new custom role, or one just changed): scopes and field access from i.
    const fields = Object.fromEntries(FIELD_GROUPS.map((group, g) => [group, FIELD_ACCESS[Math.floor(i / 25 / 3 ** g) % 3]!]));
    const role: RoleDefinition = { name: 'custom', read: RECORD_SCOPES[i % 5]!, write: RECORD_SCOPES[Math.floor(i / 5) % 5]!, fields };
    const start = performance.now();
    await grantOf(role);
    roleGrants.push(performance.now() - start);
  }
  const builtIns = rolesOfTenant([]);
  const grants = {
    everyone: await grantOf(),
    roles: new Map<string, RoleGrant>(await Promise.all(builtIns.map(async (role) => [role.name, await grantOf(role)] as const))),
  };
  const decisions: (string | number)[][] = [];
  // A tenant of 1,000 teams: 100 regions of 9 branches; a manager holds 1, 5 or 20 regions (every branch under them reached).
  const bigTeams = new Map(
    Array.from({ length: 1000 }, (_, i) => {
      const id = `t${i}`;
      return [id, { id, name: id, parentId: i < 100 ? undefined : `t${i % 100}`, roles: [] as string[] }] as const;
    }),
  );
  for (const teamCount of [1, 5, 20]) {
    const samples: number[] = [];
    const caller = { user: 'u', teams: Array.from({ length: teamCount }, (_, i) => `t${i}`), roles: ['manager', 'rep'], groups: ['auditor'] };
    for (let i = 0; i < runs * 50; i++) {
      const start = performance.now();
      // A fresh walk of the tree each time (the authorizer finds the teams under a team once per tenant version).
      decisionOf({ roles: builtIns, teams: bigTeams }, { ...caller, user: `u${i}` }, grants);
      samples.push(performance.now() - start);
    }
    decisions.push([
      `a manager of ${teamCount} region${teamCount > 1 ? 's' : ''} (${teamCount * 10} teams reached) in a tenant of 1,000 teams, 3 roles, the tree walked each time`,
      `${micros(samples)} µs`,
    ]);
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
  // The authorizer's decision as callers meet it: 20 users of 4 profiles, each call after their entries' cache ran out (a
  // strongly consistent BatchGetItem), and every 50th call after a change of the tenant's roles (its teams and roles read
  // again, the changed role's grant asked of Cedar). Wall time, DynamoDB Local's reads included.
  for (let u = 0; u < 20; u++) await put('user', `s${u}`, { id: `s${u}`, teams: [`b${u % 5}`], roles: [['rep', 'manager', 'support', 'viewer'][u % 4]!] });
  const stream = { all: [] as number[], changed: [] as number[] };
  let clock = Date.now();
  for (let i = 0; i < runs * 50; i++) {
    const change = i % 50 === 0;
    if (change) {
      const before = await getAccessEntry(tenant, 'role', 'viewer');
      const viewer = { name: 'viewer', read: 'team', write: 'none', fields: { identifiers: 'hidden', birthDate: i % 100 === 0 ? 'read' : 'hidden' } } as const;
      const after = {
        ...viewer,
        ...newBookkeeping('bench'),
        ...(before ? { version: before.version + 1, sequence: before.sequence + 1, created: before.created } : {}),
        tenantId: tenant,
      };
      await writeAccessEntry(tenant, 'role', 'viewer', before, after as never, []);
    }
    clock += 3000;
    const start = performance.now();
    await callerAccess(tenant, `s${i % 20}`, [], clock);
    const ms = performance.now() - start;
    stream.all.push(ms);
    if (change) stream.changed.push(ms);
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
    '*The authorizer* (only it loads Cedar): loading the engine in a fresh Node process from its bundle, then what its init asks (everyone\u2019s and the 5 built-in roles\u2019 grants: Lambda\u2019s init phase, before any request).',
    '',
    ...table(
      ['', 'median', 'min–max'],
      [
        ['load Cedar (ms)', median(cold.load).toFixed(0), `${Math.min(...cold.load).toFixed(0)}–${Math.max(...cold.load).toFixed(0)}`],
        ['the built-in grants (ms)', median(cold.first).toFixed(0), `${Math.min(...cold.first).toFixed(0)}–${Math.max(...cold.first).toFixed(0)}`],
        ['memory added (MiB RSS)', median(cold.rss).toFixed(0), `${Math.min(...cold.rss).toFixed(0)}–${Math.max(...cold.rss).toFixed(0)}`],
      ],
    ),
    '',
    'Cedar on a warm engine: a role\u2019s grant (once per role definition an instance meets); a caller\u2019s decision made from the grants of their roles, which every authorizer call makes (no Cedar); the call as a whole:',
    '',
    ...table(
      ['', 'p50 / p99'],
      [
        ['a role\u2019s grant (Cedar: 22 questions)', `${millis(roleGrants)} ms`],
        ...decisions,
        ['the authorizer\u2019s decision, the caller\u2019s entries cached', `${micros(kept)} µs`],
        [
          'the authorizer\u2019s decision as callers meet it (entries read again each call, roles changed every 50th; DynamoDB Local\u2019s reads included)',
          `${millis(stream.all)} ms`,
        ],
        ['  of which the calls after a role change (teams and roles read again, one grant asked)', `${millis(stream.changed)} ms`],
      ],
    ),
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
