import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ACCESS_LIMITS, type RoleDefinition } from '../../domain/access.ts';
import type { PendingEvent } from '../../domain/event-envelope.ts';
import { addToCounters, COUNT_ENTITY } from '../customers/counters.ts';
import type { Bookkeeping } from '../table/bookkeeping.ts';
import { db, getItems, tableName } from '../table/db.ts';
import { LimitReached } from '../table/errors.ts';
import { keys } from '../table/keys.ts';
import { withinLimits } from '../table/limits.ts';
import { ConditionFailed, putEvent, transact, type TransactItem } from '../table/transactions.ts';

/**
 * A tenant's access model (issue 25): its teams, its own roles, each user's teams and roles, and
 * its settings, in one partition per tenant (`T#<tenant>#ACCESS`), with a version every team and
 * role change raises in its transaction — the authorizer reloads the teams and roles only when the
 * version moved, and keeps every decision made under a version until then. A user's entry is read
 * on its own (one GetItem per caller, cached for ACCESS_CACHE_SECONDS).
 */

/** The kinds of entry, and the sort-key word of each. */
export const ACCESS_KINDS = { team: 'TEAM', role: 'ROLE', user: 'USER', settings: 'SETTINGS' } as const;
export type AccessKind = keyof typeof ACCESS_KINDS;

export interface TeamEntry {
  id: string;
  name: string;
  /** The team above it; a top team has none. */
  parentId?: string;
  /** Roles every member of the team (and of the teams under it) holds. */
  roles: string[];
}

export interface UserEntry {
  id: string;
  teams: string[];
  roles: string[];
}

/** Requests per second a tenant and each of its users may send (README, "Rate limits"). */
export interface RateLimits {
  tenantPerSecond: number;
  userPerSecond: number;
}

/** The rate limits of a tenant that set none (README, "Who may see what"). */
export const DEFAULT_RATE_LIMITS: RateLimits = { tenantPerSecond: 2000, userPerSecond: 200 };

export interface SettingsEntry {
  /** The role of a caller whom nothing else gives one. */
  defaultRole: string;
  rateLimits: RateLimits;
}

export interface AccessEntries {
  team: TeamEntry;
  role: RoleDefinition;
  user: UserEntry;
  settings: SettingsEntry;
}

/** A stored entry: its data, its tenant, its bookkeeping (version: the ETag). */
export type Stored<K extends AccessKind> = AccessEntries[K] & Bookkeeping & { tenantId: string };

export const ACCESS_ENTITY = 'ACCESS';

const sortKey = (kind: AccessKind, id: string): string => (kind === 'settings' ? ACCESS_KINDS.settings : `${ACCESS_KINDS[kind]}#${id}`);
const keyOf = (tenantId: string, kind: AccessKind, id: string) => ({ pk: keys.access(tenantId), sk: sortKey(kind, id) });
const versionKey = (tenantId: string) => ({ pk: keys.access(tenantId), sk: 'VERSION' });
const teamCount = (tenantId: string) => ({ pk: keys.access(tenantId), sk: 'COUNT#TEAMS' });
const roleCount = (tenantId: string) => ({ pk: keys.access(tenantId), sk: 'COUNT#ROLES' });

const entryOf = <K extends AccessKind>(item: Record<string, unknown>): Stored<K> => {
  const { pk: _pk, sk: _sk, entity: _e, kind: _k, ...rest } = item;
  return rest as unknown as Stored<K>;
};

/** One entry, strongly consistent, or undefined. */
export const getAccessEntry = async <K extends AccessKind>(tenantId: string, kind: K, id: string): Promise<Stored<K> | undefined> => {
  const [item] = await getItems([keyOf(tenantId, kind, id)]);
  return item ? entryOf<K>(item) : undefined;
};

/**
 * A page of a kind's entries in id order, after `after`: one Query of at most `limit` items.
 * `next`: the id to continue after, when there may be more.
 */
export const listAccessEntries = async <K extends Exclude<AccessKind, 'settings'>>(
  tenantId: string,
  kind: K,
  { limit, after }: { limit: number; after?: string },
): Promise<{ entries: Stored<K>[]; next?: string }> => {
  const prefix = `${ACCESS_KINDS[kind]}#`;
  const page = await db.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: after === undefined ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': keys.access(tenantId),
        ...(after === undefined ? { ':prefix': prefix } : { ':from': `${prefix}${after}\u0000`, ':to': `${prefix}\u{10FFFF}` }),
      },
      Limit: limit,
    }),
  );
  const entries = (page.Items ?? []).map((item) => entryOf<K>(item));
  const last = page.LastEvaluatedKey?.sk;
  return { entries, ...(last ? { next: String(last).slice(prefix.length) } : {}) };
};

/** Every team or role of a tenant (bounded: ACCESS_LIMITS.teams, ACCESS_LIMITS.customRoles). */
export const allAccessEntries = async <K extends 'team' | 'role'>(tenantId: string, kind: K): Promise<Stored<K>[]> => {
  const all: Stored<K>[] = [];
  let after: string | undefined;
  do {
    const page = await listAccessEntries(tenantId, kind, { limit: 500, after });
    all.push(...page.entries);
    after = page.next;
  } while (after);
  return all;
};

/** The version of a tenant's teams and roles: it moves with every change of one. */
export const accessVersion = async (tenantId: string): Promise<number> => {
  const [item] = await getItems([versionKey(tenantId)]);
  return Number(item?.version ?? 0);
};

/** A user's entry and the tenant's settings and version, in one strongly consistent BatchGetItem: what the authorizer reads per caller. */
export const callerAccessEntries = async (
  tenantId: string,
  userId: string,
): Promise<{ user?: Stored<'user'>; settings?: Stored<'settings'>; version: number }> => {
  const [user, settings, version] = await getItems([keyOf(tenantId, 'user', userId), keyOf(tenantId, 'settings', ''), versionKey(tenantId)]);
  return {
    user: user ? entryOf<'user'>(user) : undefined,
    settings: settings ? entryOf<'settings'>(settings) : undefined,
    version: Number(version?.version ?? 0),
  };
};

const LIMITS = {
  team: { count: teamCount, ceiling: ACCESS_LIMITS.teams, what: 'teams' },
  role: { count: roleCount, ceiling: ACCESS_LIMITS.customRoles, what: 'custom roles' },
} as const;

/** A team or role change raises the tenant's version (the authorizer's signal to reload); a user's or the settings' need not. */
const raisesVersion = (kind: AccessKind): boolean => kind === 'team' || kind === 'role';

/**
 * Writes an entry with its events: a new one (`before` undefined: refused when the id exists)
 * or a change of the entry still at `before.version`, or (`after` undefined) its removal. Teams
 * and roles count against their ceilings (LimitReached) and raise the tenant's version in the same
 * transaction. ConditionFailed at index 0: a concurrent change (the caller's retry or 412).
 */
export const writeAccessEntry = async <K extends AccessKind>(
  tenantId: string,
  kind: K,
  id: string,
  before: Stored<K> | undefined,
  after: Stored<K> | undefined,
  events: PendingEvent[],
): Promise<void> => {
  const key = keyOf(tenantId, kind, id);
  const condition = before
    ? { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': before.version } }
    : { ConditionExpression: 'attribute_not_exists(pk)' };
  const limit = kind === 'team' ? LIMITS.team : kind === 'role' ? LIMITS.role : undefined;
  const delta = Number(after !== undefined) - Number(before !== undefined);
  const items: TransactItem[] = [
    after
      ? { Put: { TableName: tableName(), Item: withinLimits({ ...after, ...key, entity: ACCESS_ENTITY, kind }), ...condition } }
      : { Delete: { TableName: tableName(), Key: key, ...condition } },
    ...(limit && delta !== 0 ? [addToCounters(limit.count(tenantId), { entries: delta }, COUNT_ENTITY, delta > 0 ? { below: limit.ceiling } : {})] : []),
    ...(raisesVersion(kind) ? [addToCounters(versionKey(tenantId), { version: 1 }, ACCESS_ENTITY)] : []),
    ...events.map((event) => putEvent(keys.access(tenantId), event)),
  ];
  try {
    await transact(items);
  } catch (error) {
    if (error instanceof ConditionFailed && error.index === 1 && limit && delta > 0)
      throw new LimitReached(`A tenant has at most ${limit.ceiling} ${limit.what}.`);
    throw error;
  }
};
