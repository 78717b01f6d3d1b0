import type { AccessDecision } from '../domain/access.ts';
import { allAccessEntries, callerAccessEntries, DEFAULT_RATE_LIMITS, type RateLimits, type TeamEntry } from '../storage/access/access-config.ts';
import { instanceCache } from '../storage/table/instance-cache.ts';
import { decisionOf, descendantsOf, grantOf, rolesOfTenant, type RoleGrant, type TenantAccess } from './access-policies.ts';

/**
 * A caller's access decision, as the authorizer makes it: the caller's own entry (teams, roles),
 * the tenant's settings and the version of its teams and roles, read at most every
 * ACCESS_CACHE_SECONDS per instance (one strongly consistent BatchGetItem); the tenant's teams and
 * roles read again only when that version moved, with what each role grants (Cedar, once per role
 * definition an instance meets: access-policies.ts); and the caller's decision made from those
 * grants on every call, without Cedar. A role, team or membership change is so in force within
 * ACCESS_CACHE_SECONDS plus the API's own authorizer cache (README, "Who may see what": 4 s in all).
 */

export const accessCacheMs = (): number => Number(process.env.ACCESS_CACHE_SECONDS ?? 2) * 1000;

const callers = instanceCache(
  (key: string) => {
    const [tenantId, user] = JSON.parse(key) as [string, string];
    return callerAccessEntries(tenantId, user);
  },
  { ttlMs: accessCacheMs },
);

/** A tenant's teams and roles at a version, what each role grants, and the teams under each team (found once). */
interface TenantModel {
  version: number;
  access: TenantAccess;
  grants: { everyone: RoleGrant; roles: ReadonlyMap<string, RoleGrant> };
  below: (team: string) => readonly string[];
}

const models = new Map<string, Promise<TenantModel>>();

/** The tenant's model at `version`: its teams and roles read, and the grants of its roles asked of Cedar where this instance has not met them. */
const modelAt = (tenantId: string, version: number): Promise<TenantModel> => {
  const kept = models.get(tenantId);
  const load = async (): Promise<TenantModel> => {
    const known = kept ? await kept.catch(() => undefined) : undefined;
    if (known && known.version === version) return known;
    const [teamEntries, custom] = await Promise.all([allAccessEntries(tenantId, 'team'), allAccessEntries(tenantId, 'role')]);
    const roles = rolesOfTenant(custom.map(({ name, description, read, write, fields }) => ({ name, description, read, write, fields })));
    const teams = new Map(teamEntries.map(({ id, name, parentId, roles: r }): [string, TeamEntry] => [id, { id, name, parentId, roles: r }]));
    const [everyone, ...granted] = await Promise.all([grantOf(), ...roles.map((role) => grantOf(role))]);
    const below = new Map<string, readonly string[]>();
    return {
      version,
      access: { roles, teams },
      grants: { everyone: everyone!, roles: new Map(roles.map((role, i) => [role.name, granted[i]!])) },
      below: (team) => below.get(team) ?? below.set(team, descendantsOf(teams, team)).get(team)!,
    };
  };
  const next = load();
  models.set(tenantId, next);
  next.catch(() => models.get(tenantId) === next && models.delete(tenantId));
  return next;
};

export interface CallerAccess {
  decision: AccessDecision;
  rateLimits: RateLimits;
}

/** The decision for a verified caller of a tenant, with the groups their token names. */
export const callerAccess = async (tenantId: string, user: string, groups: readonly string[], now = Date.now()): Promise<CallerAccess> => {
  const { user: entry, settings, version } = await callers.get(JSON.stringify([tenantId, user]), now);
  const kept = models.get(tenantId);
  const model = await (kept && (await kept.catch(() => undefined))?.version === version ? kept : modelAt(tenantId, version));
  const facts = { user, teams: entry?.teams ?? [], roles: entry?.roles ?? [], groups, defaultRole: settings?.defaultRole };
  return { decision: decisionOf(model.access, facts, model.grants, model.below), rateLimits: settings?.rateLimits ?? DEFAULT_RATE_LIMITS };
};
