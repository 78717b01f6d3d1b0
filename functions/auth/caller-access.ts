import type { AccessDecision } from '../domain/access.ts';
import { allAccessEntries, callerAccessEntries, DEFAULT_RATE_LIMITS, type RateLimits, type TeamEntry } from '../storage/access/access-config.ts';
import { instanceCache } from '../storage/table/instance-cache.ts';
import { decide, preparePolicies, rolesOfTenant, type TenantAccess } from './access-policies.ts';

/**
 * A caller's access decision, as the authorizer makes it: the caller's own entry (teams, roles),
 * the tenant's settings and the version of its teams and roles, read at most every
 * ACCESS_CACHE_SECONDS per instance (one strongly consistent BatchGetItem); the tenant's teams and
 * roles read again only when that version moved; and a decision kept per tenant version and
 * caller profile (user, teams, roles, groups), so Cedar runs once per profile per change. A role,
 * team or membership change is so in force within ACCESS_CACHE_SECONDS plus the API's own
 * authorizer cache (README, "Who may see what": 4 s in all).
 */

export const accessCacheMs = (): number => Number(process.env.ACCESS_CACHE_SECONDS ?? 2) * 1000;

const callers = instanceCache(
  (key: string) => {
    const [tenantId, user] = JSON.parse(key) as [string, string];
    return callerAccessEntries(tenantId, user);
  },
  { ttlMs: accessCacheMs },
);

interface TenantModel {
  version: number;
  access: TenantAccess;
  policySetId: string;
}

const models = new Map<string, Promise<TenantModel>>();

/** The tenant's teams and roles at `version`, with its policies parsed under an id naming both. */
const modelAt = (tenantId: string, version: number): Promise<TenantModel> => {
  const kept = models.get(tenantId);
  const load = async (): Promise<TenantModel> => {
    const known = kept ? await kept.catch(() => undefined) : undefined;
    if (known && known.version === version) return known;
    const [teams, custom] = await Promise.all([allAccessEntries(tenantId, 'team'), allAccessEntries(tenantId, 'role')]);
    const roles = rolesOfTenant(custom.map(({ name, description, read, write, fields }) => ({ name, description, read, write, fields })));
    const policySetId = `${tenantId}@${version}`;
    await preparePolicies(policySetId, roles);
    return {
      version,
      policySetId,
      access: { roles, teams: new Map(teams.map(({ id, name, parentId, roles: r }): [string, TeamEntry] => [id, { id, name, parentId, roles: r }])) },
    };
  };
  const next = load();
  models.set(tenantId, next);
  next.catch(() => models.get(tenantId) === next && models.delete(tenantId));
  return next;
};

const decisions = new Map<string, Promise<AccessDecision>>();
/**
 * The principal a profile's decision is made for. Nothing in the decision depends on who it is (the
 * probes ask about "a customer the principal owns", "one shared with the principal"), so any id
 * would do, a real user's too.
 */
const STAND_IN = '~caller';
const MAX_DECISIONS = 10_000;

export interface CallerAccess {
  decision: AccessDecision;
  rateLimits: RateLimits;
}

/** The decision for a verified caller of a tenant, with the groups their token names. */
export const callerAccess = async (tenantId: string, user: string, groups: readonly string[], now = Date.now()): Promise<CallerAccess> => {
  const { user: entry, settings, version } = await callers.get(JSON.stringify([tenantId, user]), now);
  const kept = models.get(tenantId);
  const model = await (kept && (await kept.catch(() => undefined))?.version === version ? kept : modelAt(tenantId, version));
  // The decision depends on the caller's teams and roles, not on who they are: it is made for a
  // stand-in and kept per profile, so the tellers of one branch share one (their own id goes in after).
  const facts = { user: STAND_IN, teams: entry?.teams ?? [], roles: entry?.roles ?? [], groups: [...groups].sort(), defaultRole: settings?.defaultRole };
  const key = `${model.policySetId}\n${JSON.stringify(facts)}`;
  let decision = decisions.get(key);
  if (!decision) {
    decision = decide(model.access, facts, model.policySetId);
    if (decisions.size >= MAX_DECISIONS) decisions.delete(decisions.keys().next().value!);
    decisions.set(key, decision);
    decision.catch(() => decisions.get(key) === decision && decisions.delete(key));
  }
  const shared = await decision;
  return {
    decision: { ...shared, user, grantees: shared.grantees.map((grantee) => (grantee === `user:${STAND_IN}` ? `user:${user}` : grantee)) },
    rateLimits: settings?.rateLimits ?? DEFAULT_RATE_LIMITS,
  };
};
