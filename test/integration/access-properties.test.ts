/**
 * Property test of who may see and change what (issue 25), against DynamoDB Local through the real
 * handlers and the authorizer's Cedar decision: random tenants — callers with random teams, roles
 * and groups; customers with random owners, teams and shares — checked against an oracle written
 * here from the roles' definitions alone. For every caller and customer, in the CRM and TMF629
 * families: a customer is shown exactly when the caller may read it (otherwise 404, as another
 * tenant's), a change lands exactly when they may write it (403 when they may only read it), a
 * hidden field is never shown, lists hold exactly what they may read, and a count is given only to
 * a caller who reaches the whole tenant.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.ACCESS_CACHE_SECONDS = '0';
  process.env.FIELDS_CACHE_SECONDS = '0';
});

import { BUILT_IN_ROLES, type FieldAccess, type RecordScope, type RoleDefinition } from '../../functions/domain/access.ts';
import { writeAccessEntry, type AccessEntries, type AccessKind } from '../../functions/storage/access/access-config.ts';
import { newBookkeeping } from '../../functions/storage/table/bookkeeping.ts';
import { uniqueTenant, type CallOptions } from '../../lib/local/direct-call.ts';
import { send } from '../support/send.ts';
import { FUZZ_SEED } from '../support/fuzz.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 60) / 2;

/** The tenant's teams: a region over two branches, one of which has a desk under it. */
const PARENT: Record<string, string | undefined> = { region: undefined, north: 'region', south: 'region', desk: 'north' };
const TEAMS = Object.keys(PARENT);
const CUSTOM_ROLE: RoleDefinition = { name: 'viewer', read: 'team', write: 'none', fields: { emails: 'hidden' } };
const ROLES = [...BUILT_IN_ROLES, CUSTOM_ROLE];
const USERS = ['ann', 'bob', 'cy'];

interface Caller {
  user: string;
  teams: string[];
  roles: string[];
  groups: string[];
}
interface Customer {
  name: string;
  ownerId?: string;
  teamId?: string;
  shares: Record<string, 'read' | 'write'>;
}

const caller = (user: string): fc.Arbitrary<Caller> =>
  fc.record({
    user: fc.constant(user),
    teams: fc.subarray(TEAMS, { maxLength: 2 }),
    roles: fc.subarray(
      ROLES.map((r) => r.name),
      { maxLength: 2 },
    ),
    groups: fc.subarray(['auditor', 'support', 'rep', 'unknown-group'], { maxLength: 1 }),
  });
const customer = (name: string): fc.Arbitrary<Customer> =>
  fc.record({
    name: fc.constant(name),
    ownerId: fc.option(fc.constantFrom(...USERS, 'someone'), { nil: undefined }),
    teamId: fc.option(fc.constantFrom(...TEAMS), { nil: undefined }),
    shares: fc.dictionary(
      fc.constantFrom(...USERS.map((u) => `user:${u}`), ...TEAMS.map((t) => `team:${t}`)),
      fc.constantFrom('read' as const, 'write' as const),
      {
        maxKeys: 2,
      },
    ),
  });
const scenario = fc.record({
  teamRoles: fc.dictionary(fc.constantFrom(...TEAMS), fc.subarray(['manager', 'rep', 'viewer'], { maxLength: 1 }), { maxKeys: 2 }),
  callers: fc.tuple(...USERS.map(caller)),
  customers: fc.tuple(...['c0', 'c1', 'c2', 'c3', 'c4'].map(customer)),
});

// --- The oracle: the roles' meaning, written out ---------------------------------------------------

const above = (team: string): string[] => (PARENT[team] ? [PARENT[team]!, ...above(PARENT[team]!)] : []);
const under = (team: string): string[] => TEAMS.filter((t) => above(t).includes(team));
const rolesOf = (c: Caller, teamRoles: Record<string, string[]>): RoleDefinition[] => {
  const names = new Set([...c.roles, ...c.groups, ...c.teams.flatMap((t) => teamRoles[t] ?? [])]);
  const held = ROLES.filter((r) => names.has(r.name));
  return held.length > 0 ? held : ROLES.filter((r) => r.name === 'admin');
};
const inScope = (scope: RecordScope, c: Caller, x: Customer): boolean =>
  scope === 'tenant' ||
  (scope !== 'none' && x.ownerId === c.user) ||
  (scope === 'team' && x.teamId !== undefined && c.teams.includes(x.teamId)) ||
  (scope === 'subtree' && x.teamId !== undefined && c.teams.some((t) => t === x.teamId || under(t).includes(x.teamId!)));
const sharedFor = (c: Caller, x: Customer, action: 'read' | 'write'): boolean =>
  Object.entries(x.shares).some(
    ([grantee, access]) =>
      (action === 'read' || access === 'write') &&
      (grantee === `user:${c.user}` || c.teams.some((t) => grantee === `team:${t}` || above(t).some((a) => grantee === `team:${a}`))),
  );
const may = (c: Caller, x: Customer, action: 'read' | 'write', teamRoles: Record<string, string[]>): boolean =>
  rolesOf(c, teamRoles).some((r) => inScope(r[action], c, x)) || sharedFor(c, x, action);
const RANK: Record<FieldAccess, number> = { hidden: 0, read: 1, write: 2 };
const emailsShown = (c: Caller, teamRoles: Record<string, string[]>): boolean =>
  rolesOf(c, teamRoles).some((r) => RANK[r.fields.emails ?? 'write'] >= RANK.read);
const readsTenant = (c: Caller, teamRoles: Record<string, string[]>): boolean => rolesOf(c, teamRoles).some((r) => r.read === 'tenant');

describe('who may see and change what, for random roles, teams and shares', () => {
  it('shows, changes, lists and counts exactly what the roles allow, in the CRM and TMF629 families', async () => {
    let checks = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ teamRoles, callers, customers }) => {
        const tenant = uniqueTenant();
        const put = <K extends AccessKind>(kind: K, id: string, entry: AccessEntries[K]) =>
          writeAccessEntry(tenant, kind, id, undefined, { ...entry, ...newBookkeeping('admin'), tenantId: tenant } as never, []);
        await put('role', CUSTOM_ROLE.name, CUSTOM_ROLE);
        for (const team of TEAMS)
          await put('team', team, { id: team, name: team, ...(PARENT[team] ? { parentId: PARENT[team] } : {}), roles: teamRoles[team] ?? [] });
        for (const c of callers) await put('user', c.user, { id: c.user, teams: c.teams, roles: c.roles });
        const ids = new Map<string, string>();
        for (const x of customers) {
          const made = await send('createCrmCustomer', {
            sub: 'root',
            tenant,
            body: {
              name: x.name,
              type: 'PERSON',
              email: `${x.name}@example.com`,
              ...(x.ownerId ? { ownerId: x.ownerId } : {}),
              ...(x.teamId ? { teamId: x.teamId } : {}),
            },
          });
          expect(made.status, JSON.stringify(made.body)).toBe(201);
          ids.set(x.name, made.body.id);
          for (const [grantee, access] of Object.entries(x.shares)) {
            const shared = await send('shareCrmCustomer', { sub: 'root', tenant, params: { id: made.body.id, grantee }, body: { access } });
            expect(shared.status, JSON.stringify(shared.body)).toBe(200);
          }
        }
        for (const c of callers) {
          const as = (extra: Partial<CallOptions>): CallOptions => ({
            claims: { sub: c.user, tenant, scope: 'rapport/read rapport/write', ...(c.groups.length > 0 ? { 'cognito:groups': c.groups } : {}) },
            decide: true,
            ...extra,
          });
          const readable = customers.filter((x) => may(c, x, 'read', teamRoles)).map((x) => x.name);
          const list = await send('listCrmCustomers', as({ query: {} }));
          expect(list.body.map((x: { name: string }) => x.name).sort(), `${JSON.stringify(c)} lists`).toEqual(readable.sort());
          const tmfList = await send('listCustomer', as({ query: {} }));
          expect(tmfList.body.map((x: { name: string }) => x.name).sort()).toEqual(readable.sort());
          expect(tmfList.headers['x-total-count'] !== undefined, 'a count only for a caller who reaches the tenant').toBe(readsTenant(c, teamRoles));
          checks += 3;
          for (const x of customers) {
            const id = ids.get(x.name)!;
            const canRead = may(c, x, 'read', teamRoles);
            const canWrite = may(c, x, 'write', teamRoles);
            const what = `${JSON.stringify(c)} on ${JSON.stringify(x)} (team roles ${JSON.stringify(teamRoles)})`;
            const crm = await send('getCrmCustomer', as({ params: { id } }));
            expect(crm.status, `read ${what}`).toBe(canRead ? 200 : 404);
            if (canRead) expect(crm.body.email !== undefined, `e-mail shown ${what}`).toBe(emailsShown(c, teamRoles));
            const tmf = await send('retrieveCustomerV5', as({ params: { id } }));
            expect(tmf.status, `TMF read ${what}`).toBe(canRead ? 200 : 404);
            if (canRead) expect(JSON.stringify(tmf.body).includes('@example.com'), `TMF e-mail shown ${what}`).toBe(emailsShown(c, teamRoles));
            const patch = await send('updateCrmCustomer', as({ params: { id }, body: { industry: `by ${c.user}` } }));
            expect(patch.status, `write ${what}`).toBe(canWrite ? 200 : canRead ? 403 : 404);
            checks += 5;
          }
        }
      }),
      { numRuns: RUNS, seed: FUZZ_SEED },
    );
    expect(checks).toBeGreaterThan(RUNS * 50);
  }, 300_000);
});
