/**
 * The access rules in Cedar (npm `@cedar-policy/cedar-wasm`, the language Amazon Verified
 * Permissions runs) and the decision they make for a caller. A tenant's roles — built-in and its
 * own — become Cedar policies; its teams, the caller and their roles become Cedar entities (a user
 * is in their teams and in their roles — their own, their groups', their teams' — and a team is in
 * the team above it, so `resource.team in principal.teams` reaches every team under theirs). The decision asks Cedar about a few probe
 * customers and fields per caller and turns the answers into the conditions the storage layer and
 * the views apply (`AccessDecision`, domain/access.ts): which owner, which teams, which shares,
 * which field groups. Only the authorizer loads the engine (its 4 MB of WebAssembly stay out of
 * every API function's cold start).
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
const ref = (type: string, id: string): CedarValue => ({ __entity: uid(type, id) });

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

/**
 * The decision for one caller: Cedar asked about probe customers (one owned by nobody in no team,
 * one the caller owns, one in each of their teams, one in a team under each, one shared with them)
 * and about each field group. A probe team under a team stands for every team under it: the
 * policies reach a team by its identity or its place in the hierarchy, nothing else.
 */
export const decide = async (tenant: TenantAccess, caller: CallerFacts, policySetId: string): Promise<AccessDecision> => {
  const cedar = await loadCedar();
  const known = tenant.teams;
  const teams = caller.teams.filter((team) => known.has(team));
  const above = [...new Set(teams.flatMap((team) => ancestorsOf(known, team)))];
  const roles = rolesHeld(tenant, caller);
  const probeChild = (team: string) => `~under~${team}`;
  const teamEntities: Entity[] = [...new Set([...teams, ...above])].map((id) => {
    const team = known.get(id)!;
    return {
      uid: uid('Team', id),
      attrs: {},
      parents: team.parentId !== undefined ? [uid('Team', team.parentId)] : [],
    };
  });
  const probes: Entity[] = teams.map((team) => ({ uid: uid('Team', probeChild(team)), attrs: {}, parents: [uid('Team', team)] }));
  const entities: Entity[] = [
    {
      uid: uid('User', caller.user),
      attrs: { teams: teams.map((team) => ref('Team', team)) },
      parents: [...teams.map((team) => uid('Team', team)), ...roles.map((role) => uid('Role', role))],
    },
    ...teamEntities,
    ...probes,
    ...tenant.roles.map((role) => ({ uid: uid('Role', role.name), attrs: {}, parents: [] })),
  ];
  const ask = (action: string, resource: { type: string; id: string }, extra: Entity[] = []): boolean => {
    const answer = cedar.statefulIsAuthorized({
      principal: uid('User', caller.user),
      action: uid('Action', action),
      resource,
      context: {},
      preparsedPolicySetId: policySetId,
      entities: [...entities, ...extra],
    });
    if (answer.type !== 'success') throw new Error(`Cedar could not decide: ${answer.errors.map((e) => e.message).join('; ')}`);
    return answer.response.decision === 'allow';
  };
  const customer = (attrs: Record<string, CedarValue>): Entity => ({
    uid: uid('Customer', '~probe'),
    attrs: { readers: [], readerTeams: [], writers: [], writerTeams: [], ...attrs },
    parents: [],
  });
  const mayOn = (action: 'read' | 'write', attrs: Record<string, CedarValue>) => ask(action, uid('Customer', '~probe'), [customer(attrs)]);
  const reach = (action: 'read' | 'write'): Reach => {
    const tenantWide = mayOn(action, {});
    const own = tenantWide || mayOn(action, { owner: ref('User', caller.user) });
    const reached = new Set<string>();
    if (!tenantWide)
      for (const team of teams) {
        if (!mayOn(action, { team: ref('Team', team) })) continue;
        reached.add(team);
        // A role reaches the teams under a team only through it: asked only when the team itself is reached.
        if (mayOn(action, { team: ref('Team', probeChild(team)) })) for (const below of descendantsOf(known, team)) reached.add(below);
      }
    const sharedTo = action === 'read' ? 'readers' : 'writers';
    const shared = tenantWide || mayOn(action, { [sharedTo]: [ref('User', caller.user)] });
    return { tenant: tenantWide, own, teams: [...reached].sort(), shared };
  };
  const fields = Object.fromEntries(
    FIELD_GROUPS.map((group): [FieldGroup, FieldAccess] => {
      const field = uid('Field', group);
      return [group, ask('writeField', field) ? 'write' : ask('readField', field) ? 'read' : 'hidden'];
    }),
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

/** Parses a policy set once under an id, for `decide` to evaluate against (Cedar keeps it in the engine). */
export const preparePolicies = async (policySetId: string, roles: readonly RoleDefinition[]): Promise<void> => {
  const cedar = await loadCedar();
  const answer = cedar.preparsePolicySet(policySetId, { staticPolicies: policiesOf(roles) });
  if (answer.type !== 'success') throw new Error(`Cedar refused the policies: ${answer.errors.map((e) => e.message).join('; ')}`);
};
