/**
 * A caller's decision is made from what each of their roles grants (functions/auth/access-policies.ts:
 * Cedar asked once per role definition, the grants united per caller). This checks that union
 * against Cedar itself asked about the caller's whole profile — every role they hold in one
 * principal, the tenant's real team tree — for random tenants (team trees, custom roles with random
 * scopes and field access, roles given to teams) and random callers (teams, roles, groups): about a
 * customer of every team of the tenant, one they own, one in no team, one shared with them, and
 * every field group. Any difference fails, naming the profile.
 */
import fc from 'fast-check';
import type * as Cedar from '@cedar-policy/cedar-wasm/nodejs';
import { describe, expect, it } from 'vitest';
import {
  decisionOf,
  grantOf,
  loadCedar,
  policiesOf,
  rolesHeld,
  rolesOfTenant,
  type CallerFacts,
  type TenantAccess,
} from '../../functions/auth/access-policies.ts';
import {
  FIELD_ACCESS,
  FIELD_GROUPS,
  RECORD_SCOPES,
  type AccessDecision,
  type FieldAccess,
  type FieldGroup,
  type Reach,
  type RoleDefinition,
} from '../../functions/domain/access.ts';
import type { TeamEntry } from '../../functions/storage/access/access-config.ts';
import { FUZZ_SEED } from '../support/fuzz.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 60) * 3;
const uid = (type: string, id: string) => ({ type, id });

/** What Cedar answers for the caller's whole profile, asked about every team of the tenant (not the union of grants). */
const askWholeProfile = async (tenant: TenantAccess, caller: CallerFacts, setId: string): Promise<Omit<AccessDecision, 'grantees'>> => {
  const cedar: typeof Cedar = await loadCedar();
  const prepared = cedar.preparsePolicySet(setId, { staticPolicies: policiesOf(tenant.roles) });
  if (prepared.type !== 'success') throw new Error(JSON.stringify(prepared.errors));
  const teams = caller.teams.filter((team) => tenant.teams.has(team));
  const roles = rolesHeld(tenant, caller);
  const principal = uid('User', caller.user);
  const entities: Cedar.EntityJson[] = [
    {
      uid: principal,
      attrs: { teams: teams.map((team) => ({ __entity: uid('Team', team) })) },
      parents: [...teams.map((t) => uid('Team', t)), ...roles.map((r) => uid('Role', r))],
    },
    ...[...tenant.teams.values()].map((team) => ({ uid: uid('Team', team.id), attrs: {}, parents: team.parentId ? [uid('Team', team.parentId)] : [] })),
    ...tenant.roles.map((role) => ({ uid: uid('Role', role.name), attrs: {}, parents: [] })),
  ];
  const ask = (action: string, resource: { type: string; id: string }, attrs?: Record<string, Cedar.CedarValueJson>): boolean => {
    const extra = attrs ? [{ uid: resource, attrs: { readers: [], readerTeams: [], writers: [], writerTeams: [], ...attrs }, parents: [] }] : [];
    const answer = cedar.statefulIsAuthorized({
      principal,
      action: uid('Action', action),
      resource,
      context: {},
      preparsedPolicySetId: setId,
      entities: [...entities, ...extra],
    });
    if (answer.type !== 'success') throw new Error(JSON.stringify(answer.errors));
    return answer.response.decision === 'allow';
  };
  const customer = uid('Customer', 'probe');
  const reach = (action: 'read' | 'write'): Reach => {
    const tenantWide = ask(action, customer, {});
    return {
      tenant: tenantWide,
      own: ask(action, customer, { owner: { __entity: principal } }),
      teams: tenantWide ? [] : [...tenant.teams.keys()].filter((team) => ask(action, customer, { team: { __entity: uid('Team', team) } })).sort(),
      shared: ask(action, customer, { [action === 'read' ? 'readers' : 'writers']: [{ __entity: principal }] }),
    };
  };
  const fields = Object.fromEntries(
    FIELD_GROUPS.map((group): [FieldGroup, FieldAccess] => [
      group,
      ask('writeField', uid('Field', group)) ? 'write' : ask('readField', uid('Field', group)) ? 'read' : 'hidden',
    ]),
  ) as Record<FieldGroup, FieldAccess>;
  return { user: caller.user, roles, teams, read: reach('read'), write: reach('write'), fields };
};

const TEAM_IDS = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7'];
const customRole = (name: string): fc.Arbitrary<RoleDefinition> =>
  fc.record({
    name: fc.constant(name),
    read: fc.constantFrom(...RECORD_SCOPES),
    write: fc.constantFrom(...RECORD_SCOPES),
    fields: fc.dictionary(fc.constantFrom(...FIELD_GROUPS), fc.constantFrom(...FIELD_ACCESS), { maxKeys: 4 }),
  });
const scenario = fc
  .record({
    // Each team's parent is an earlier team (or none): a forest, as the access API keeps it.
    parents: fc.tuple(...TEAM_IDS.map((_, i) => fc.option(fc.integer({ min: 0, max: Math.max(0, i - 1) }), { nil: undefined }))),
    custom: fc.tuple(customRole('c1'), customRole('c2'), customRole('c3')),
    teamRoles: fc.dictionary(fc.constantFrom(...TEAM_IDS), fc.subarray(['rep', 'manager', 'c1', 'c2'], { maxLength: 1 }), { maxKeys: 3 }),
    teams: fc.subarray([...TEAM_IDS, 'gone'], { maxLength: 3 }),
    roles: fc.subarray(['admin', 'manager', 'rep', 'support', 'auditor', 'c1', 'c2', 'c3'], { maxLength: 3 }),
    groups: fc.subarray(['auditor', 'c3', 'unknown'], { maxLength: 1 }),
    defaultRole: fc.constantFrom(undefined, 'rep', 'c2'),
  })
  .map(({ parents, custom, teamRoles, ...caller }) => {
    const teams = new Map(
      TEAM_IDS.map((id, i): [string, TeamEntry] => [
        id,
        { id, name: id, parentId: parents[i] !== undefined && parents[i]! < i ? TEAM_IDS[parents[i]!] : undefined, roles: teamRoles[id] ?? [] },
      ]),
    );
    return { tenant: { roles: rolesOfTenant(custom), teams } satisfies TenantAccess, caller: { user: 'ann', ...caller } satisfies CallerFacts };
  });

describe('a caller’s decision: the union of what their roles grant equals Cedar asked about their whole profile', () => {
  it('for random team trees, custom roles, team roles and callers', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ tenant, caller }) => {
        const everyone = await grantOf();
        const roles = new Map(await Promise.all(tenant.roles.map(async (role) => [role.name, await grantOf(role)] as const)));
        const { grantees, ...decision } = decisionOf(tenant, caller, { everyone, roles });
        expect(decision).toEqual(await askWholeProfile(tenant, caller, `whole-profile-${run++}`));
        expect(grantees[0]).toBe('user:ann');
      }),
      { numRuns: RUNS, seed: FUZZ_SEED },
    );
  }, 120_000);

  it('asks Cedar once per role definition: a role renamed or held by another tenant reuses the grant', async () => {
    const role: RoleDefinition = { name: 'x', read: 'team', write: 'own', fields: { identifiers: 'read' } };
    const first = grantOf(role);
    expect(grantOf({ ...role, name: 'y' })).toBe(first);
    expect(grantOf({ ...role, fields: { identifiers: 'hidden' } })).not.toBe(first);
    expect(await first).toMatchObject({
      read: { tenant: false, own: true, team: true, subtree: false, shared: true },
      write: { tenant: false, own: true, team: false, subtree: false, shared: true },
      fields: { identifiers: 'read', emails: 'write' },
    });
  });
});
