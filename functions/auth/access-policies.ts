/**
 * The access rules in Cedar (npm `@cedar-policy/cedar-wasm`, the language Amazon Verified
 * Permissions runs) and the decision they make for a caller. A tenant's roles — built-in and its
 * own — become Cedar policies; a caller is a Cedar entity in their teams and roles, and a team in
 * the team above it, so `resource.team in principal.teams` reaches every team under theirs.
 * Cedar is asked once per role definition what the role grants (`grantOf`: probe customers and
 * field groups, for a stand-in caller holding that role alone), and a caller's decision is the
 * union of their roles' grants (`decisionOf`), turned into the conditions the storage layer and the
 * views apply (`AccessDecision`, domain/access.ts): which owner, which teams, which shares, which
 * field groups. Only the authorizer loads the engine (its 4 MB of WebAssembly stay out of every API
 * function's cold start).
 */
import {
  BUILT_IN_ROLES,
  DEFAULT_ROLE,
  FIELD_GROUPS,
  type AccessDecision,
  type FieldAccess,
  type FieldGroup,
  type Reach,
  type RecordScope,
  type RoleDefinition,
} from '../domain/access.ts';
import type { TeamEntry } from '../storage/access/access-config.ts';
import type * as Cedar from '@cedar-policy/cedar-wasm/nodejs';

type Engine = typeof Cedar;
type CedarValue = Cedar.CedarValueJson;
type Entity = Cedar.EntityJson;

let engine: Engine | undefined;
/** The engine, loaded on first use (WebAssembly compiled once per process). */
export const loadCedar = async (): Promise<Engine> => (engine ??= await import('@cedar-policy/cedar-wasm/nodejs'));

const quoted = (text: string): string => JSON.stringify(text);

/** The condition under which a role's scope reaches a customer (Cedar), or undefined for `none`. */
const SCOPE_CONDITIONS: Record<RecordScope, string | undefined> = {
  none: undefined,
  own: 'resource has owner && resource.owner == principal',
  team: '(resource has owner && resource.owner == principal) || (resource has team && principal.teams.contains(resource.team))',
  subtree: '(resource has owner && resource.owner == principal) || (resource has team && resource.team in principal.teams)',
  tenant: 'true',
};

/**
 * The policies of a tenant: per role, what it reaches for reading and for writing, and which
 * field groups it may read and write; for everyone, the shares (a share to write is a share to
 * read too). Policy ids name the role, so a diagnostic says which one allowed.
 */
export const policiesOf = (roles: readonly RoleDefinition[]): Record<string, string> => {
  const policies: Record<string, string> = {
    'share-read':
      'permit(principal, action == Action::"read", resource is Customer) when { resource.readers.contains(principal) || principal in resource.readerTeams || resource.writers.contains(principal) || principal in resource.writerTeams };',
    'share-write':
      'permit(principal, action == Action::"write", resource is Customer) when { resource.writers.contains(principal) || principal in resource.writerTeams };',
  };
  for (const role of roles) {
    const holder = `principal in Role::${quoted(role.name)}`;
    for (const action of ['read', 'write'] as const) {
      const condition = SCOPE_CONDITIONS[role[action]];
      if (condition) policies[`${role.name}:${action}`] = `permit(${holder}, action == Action::"${action}", resource is Customer) when { ${condition} };`;
    }
    const readable = FIELD_GROUPS.filter((group) => (role.fields[group] ?? 'write') !== 'hidden');
    const writable = FIELD_GROUPS.filter((group) => (role.fields[group] ?? 'write') === 'write');
    const fieldList = (groups: readonly FieldGroup[]) => `[${groups.map((group) => `Field::${quoted(group)}`).join(', ')}]`;
    if (readable.length > 0)
      policies[`${role.name}:readField`] =
        `permit(${holder}, action == Action::"readField", resource is Field) when { ${fieldList(readable)}.contains(resource) };`;
    if (writable.length > 0)
      policies[`${role.name}:writeField`] =
        `permit(${holder}, action == Action::"writeField", resource is Field) when { ${fieldList(writable)}.contains(resource) };`;
  }
  return policies;
};

/** What the decision needs to know of a tenant: its roles (built-in and its own) and its teams. */
export interface TenantAccess {
  roles: readonly RoleDefinition[];
  teams: ReadonlyMap<string, TeamEntry>;
}

/** What the decision needs to know of a caller: who, their teams, the roles given to them and those their groups claim names. */
export interface CallerFacts {
  user: string;
  teams: readonly string[];
  roles: readonly string[];
  groups: readonly string[];
  defaultRole?: string;
}

const uid = (type: string, id: string) => ({ type, id });

/** The teams above a team, nearest first (bounded by the tenant's depth; a loop, impossible by construction, stops). */
export const ancestorsOf = (teams: ReadonlyMap<string, TeamEntry>, id: string): string[] => {
  const chain: string[] = [];
  let parent = teams.get(id)?.parentId;
  while (parent !== undefined && !chain.includes(parent) && chain.length <= 64) {
    chain.push(parent);
    parent = teams.get(parent)?.parentId;
  }
  return chain;
};

/** Every team under a team (not itself), breadth first. */
export const descendantsOf = (teams: ReadonlyMap<string, TeamEntry>, id: string): string[] => {
  const children = new Map<string, string[]>();
  for (const team of teams.values()) if (team.parentId !== undefined) children.set(team.parentId, [...(children.get(team.parentId) ?? []), team.id]);
  const found: string[] = [];
  const queue = [...(children.get(id) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (found.includes(next)) continue;
    found.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return found;
};

/**
 * The roles a caller holds: given to them, named by their groups, given to the teams they are a
 * member of (a region's manager role is not its branches' reps'); the default role when none.
 */
export const rolesHeld = (tenant: TenantAccess, caller: CallerFacts): string[] => {
  const known = new Set(tenant.roles.map((role) => role.name));
  const teamRoles = caller.teams.flatMap((team) => tenant.teams.get(team)?.roles ?? []);
  const held = [...new Set([...caller.roles, ...caller.groups, ...teamRoles])].filter((role) => known.has(role)).sort();
  return held.length > 0 ? held : [caller.defaultRole && known.has(caller.defaultRole) ? caller.defaultRole : DEFAULT_ROLE];
};

/** What a grant says of one action: whether it reaches every customer, the caller's own, their teams', the teams' under theirs, those shared with them. */
export interface ActionGrant {
  tenant: boolean;
  own: boolean;
  team: boolean;
  subtree: boolean;
  shared: boolean;
}

/** What one role grants whoever holds it, as Cedar answers; `everyone` is what the policies grant with no role (the shares). */
export interface RoleGrant {
  read: ActionGrant;
  write: ActionGrant;
  fields: Record<FieldGroup, FieldAccess>;
}

/** The stand-ins Cedar is asked about: a caller in a team with a team under it. No policy names a user or a team, so any would do. */
const CALLER = uid('User', '~caller');
const TEAM = uid('Team', '~team');
const TEAM_BELOW = uid('Team', '~team~below');
const PROBE = uid('Customer', '~probe');
/** The name a role's policies are written under for its grant: what a role grants does not depend on its name. */
const GRANTED_ROLE = '~role';

/**
 * What a role grants, asked of Cedar once: its policies (and the shares', which hold for everyone)
 * evaluated for a stand-in caller holding only that role, about probe customers — owned by nobody
 * in no team, owned by the caller, in the caller's team, in a team under it, shared with the caller
 * — and about each field group. Without a role, what the policies grant everyone.
 */
const askCedar = async (role: RoleDefinition | undefined): Promise<RoleGrant> => {
  const cedar = await loadCedar();
  const policySetId = `grant:${role ? JSON.stringify([role.read, role.write, role.fields]) : '~everyone'}`;
  const prepared = cedar.preparsePolicySet(policySetId, { staticPolicies: policiesOf(role ? [{ ...role, name: GRANTED_ROLE }] : []) });
  if (prepared.type !== 'success') throw new Error(`Cedar refused the policies: ${prepared.errors.map((e) => e.message).join('; ')}`);
  const entities: Entity[] = [
    { uid: CALLER, attrs: { teams: [{ __entity: TEAM }] }, parents: [TEAM, ...(role ? [uid('Role', GRANTED_ROLE)] : [])] },
    { uid: TEAM, attrs: {}, parents: [] },
    { uid: TEAM_BELOW, attrs: {}, parents: [TEAM] },
    ...(role ? [{ uid: uid('Role', GRANTED_ROLE), attrs: {}, parents: [] }] : []),
  ];
  const ask = (action: string, resource: { type: string; id: string }, extra: Entity[] = []): boolean => {
    const answer = cedar.statefulIsAuthorized({
      principal: CALLER,
      action: uid('Action', action),
      resource,
      context: {},
      preparsedPolicySetId: policySetId,
      entities: [...entities, ...extra],
    });
    if (answer.type !== 'success') throw new Error(`Cedar could not decide: ${answer.errors.map((e) => e.message).join('; ')}`);
    return answer.response.decision === 'allow';
  };
  const mayOn = (action: 'read' | 'write', attrs: Record<string, CedarValue>) =>
    ask(action, PROBE, [{ uid: PROBE, attrs: { readers: [], readerTeams: [], writers: [], writerTeams: [], ...attrs }, parents: [] }]);
  const grantTo = (action: 'read' | 'write'): ActionGrant => ({
    tenant: mayOn(action, {}),
    own: mayOn(action, { owner: { __entity: CALLER } }),
    team: mayOn(action, { team: { __entity: TEAM } }),
    subtree: mayOn(action, { team: { __entity: TEAM_BELOW } }),
    shared: mayOn(action, { [action === 'read' ? 'readers' : 'writers']: [{ __entity: CALLER }] }),
  });
  const fields = Object.fromEntries(
    FIELD_GROUPS.map((group): [FieldGroup, FieldAccess] => {
      const field = uid('Field', group);
      return [group, ask('writeField', field) ? 'write' : ask('readField', field) ? 'read' : 'hidden'];
    }),
  ) as Record<FieldGroup, FieldAccess>;
  return { read: grantTo('read'), write: grantTo('write'), fields };
};

const grants = new Map<string, Promise<RoleGrant>>();
/** At most this many grants kept per instance (a tenant has at most 100 roles of its own). */
const MAX_GRANTS = 10_000;

/**
 * What a role grants (no role: what everyone is granted), kept per instance by what the role says
 * (its scopes and field access, not its name): Cedar runs once per role definition an instance
 * meets, when the tenant's roles are loaded (caller-access.ts), never per caller.
 */
export const grantOf = (role?: RoleDefinition): Promise<RoleGrant> => {
  const key = role ? JSON.stringify([role.read, role.write, role.fields]) : '';
  let grant = grants.get(key);
  if (!grant) {
    grant = askCedar(role);
    if (grants.size >= MAX_GRANTS) grants.delete(grants.keys().next().value!);
    grants.set(key, grant);
    grant.catch(() => grants.get(key) === grant && grants.delete(key));
  }
  return grant;
};

/** The grants every tenant's callers need (everyone's and the built-in roles'), asked of Cedar ahead of any caller (the authorizer's init). */
export const warmGrants = async (): Promise<void> => {
  await Promise.all([grantOf(), ...BUILT_IN_ROLES.map((role) => grantOf(role))]);
};

const FIELD_RANK: Record<FieldAccess, number> = { hidden: 0, read: 1, write: 2 };

/**
 * A caller's decision from the grants of the roles they hold and the grant to everyone. The
 * policies only permit (none forbids), so Cedar allows a caller exactly what one of their roles'
 * policies, or the shares', allows: the decision is the union of the grants — the widest scope of
 * each action, the freest access to each field group (test/integration/access-properties.test.ts
 * checks it against Cedar asked about the caller's whole profile). The teams a role's `team` scope
 * reaches are the caller's; its `subtree` scope, those and every team under them.
 */
export const decisionOf = (
  tenant: TenantAccess,
  caller: CallerFacts,
  grantsOf: { everyone: RoleGrant; roles: ReadonlyMap<string, RoleGrant> },
  below: (team: string) => readonly string[] = (team) => descendantsOf(tenant.teams, team),
): AccessDecision => {
  const known = tenant.teams;
  const teams = caller.teams.filter((team) => known.has(team));
  const above = [...new Set(teams.flatMap((team) => ancestorsOf(known, team)))];
  const roles = rolesHeld(tenant, caller);
  const held = [grantsOf.everyone, ...roles.map((role) => grantsOf.roles.get(role)!)];
  const reach = (action: 'read' | 'write'): Reach => {
    const any = (scope: keyof ActionGrant) => held.some((grant) => grant[action][scope]);
    const tenantWide = any('tenant');
    const reached = new Set<string>();
    if (!tenantWide && (any('team') || any('subtree'))) for (const team of teams) reached.add(team);
    if (!tenantWide && any('subtree')) for (const team of teams) for (const team2 of below(team)) reached.add(team2);
    return { tenant: tenantWide, own: tenantWide || any('own'), teams: [...reached].sort(), shared: tenantWide || any('shared') };
  };
  const fields = Object.fromEntries(
    FIELD_GROUPS.map((group): [FieldGroup, FieldAccess] => [
      group,
      held.map((grant) => grant.fields[group]).reduce((best, access) => (FIELD_RANK[access] > FIELD_RANK[best] ? access : best), 'hidden'),
    ]),
  ) as Record<FieldGroup, FieldAccess>;
  return {
    user: caller.user,
    roles,
    teams,
    grantees: [`user:${caller.user}`, ...[...teams, ...above].map((team) => `team:${team}`)],
    read: reach('read'),
    write: reach('write'),
    fields,
  };
};

/** The roles a tenant can give: the built-in ones, then its own. */
export const rolesOfTenant = (custom: readonly RoleDefinition[]): RoleDefinition[] => [...BUILT_IN_ROLES, ...custom];
