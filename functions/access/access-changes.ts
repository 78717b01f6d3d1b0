import type { Request, Response } from '../http/kernel.ts';
import { badRequest, conflict, notFound, preconditionFailed } from '../http/errors.ts';
import { checkIfMatch, etag } from '../http/preconditions.ts';
import { jsonEqual } from '../domain/canonical-json.ts';
import { BUILT_IN_ROLE_NAMES } from '../domain/access.ts';
import { accessEvent, ACCESS_SUBJECTS, type AccessEventType } from '../events/access-events.ts';
import { getAccessEntry, writeAccessEntry, type AccessEntries, type AccessKind, type Stored } from '../storage/access/access-config.ts';
import { changedBookkeeping, newBookkeeping } from '../storage/table/bookkeeping.ts';
import { withOptimisticRetry } from '../storage/table/optimistic.ts';
import { ACCESS_PATH } from './operations.ts';

/**
 * What every change of the access model shares (issue 25): a PUT creates an entry (201) or
 * replaces it (200, or nothing when it is unchanged), a DELETE removes it (204); `If-Match`
 * honoured; each with its event in the same transaction, and the whole again on a concurrent writer.
 */

const EVENTS: Record<AccessKind, { created: AccessEventType; updated: AccessEventType; removed: AccessEventType }> = {
  team: { created: 'TeamCreated', updated: 'TeamUpdated', removed: 'TeamDeleted' },
  role: { created: 'RoleCreated', updated: 'RoleUpdated', removed: 'RoleDeleted' },
  user: { created: 'UserAccessChanged', updated: 'UserAccessChanged', removed: 'UserAccessRemoved' },
  settings: { created: 'AccessSettingsChanged', updated: 'AccessSettingsChanged', removed: 'AccessSettingsChanged' },
};
const PATHS: Record<AccessKind, string> = { team: 'teams', role: 'roles', user: 'users', settings: 'settings' };

/** An entry as the API shows it: its data and when and by whom it changed (not its tenant or event count). */
export const entryView = <K extends AccessKind>(entry: Stored<K>): Record<string, unknown> => {
  const { tenantId: _tenant, sequence: _sequence, createdBy: _createdBy, ...view } = entry as Stored<K> & Record<string, unknown>;
  return view;
};

export const entryNotFound = (kind: AccessKind, id: string) => notFound(`No ${kind} '${id}' exists.`);

/** The data of a stored entry, without its bookkeeping and tenant: what a change compares. */
const dataOf = (entry: object): Record<string, unknown> => {
  const { tenantId: _t, version: _v, sequence: _s, created: _c, createdBy: _cb, updated: _u, updatedBy: _ub, ...data } = entry as Record<string, unknown>;
  return data;
};

const eventOf = (request: Request<unknown>, kind: AccessKind, id: string, type: AccessEventType, sequence: number, data: Record<string, unknown>) =>
  accessEvent({
    eventType: type,
    tenantId: request.caller.tenantId,
    subject: { type: ACCESS_SUBJECTS[kind], id: kind === 'settings' ? request.caller.tenantId : id },
    sequence,
    actor: request.caller.sub,
    correlationId: request.correlationId,
    data,
    description: `${type} ${id}`,
  });

/**
 * Creates or replaces an entry with `entry`, after `check` (which refuses what the model does not
 * allow) has seen what is stored.
 */
export const putEntry = <K extends AccessKind>(
  request: Request<unknown>,
  kind: K,
  id: string,
  entry: AccessEntries[K],
  check: (before: Stored<K> | undefined) => Promise<void> = async () => undefined,
): Promise<Response> =>
  withOptimisticRetry(async () => {
    const { tenantId, sub } = request.caller;
    const before = await getAccessEntry(tenantId, kind, id);
    if (before) checkIfMatch(request.headers, before.version);
    // If-Match names a version: with nothing stored, none matches (RFC 9110).
    else if (request.headers['if-match'] !== undefined && request.headers['if-match'].trim() !== '*')
      throw preconditionFailed(`If-Match ${request.headers['if-match']} names a version, and no ${kind} '${id}' exists.`);
    await check(before);
    if (before && jsonEqual(dataOf(before), dataOf(entry))) return { status: 200, body: entryView(before), headers: { etag: etag(before.version) } };
    const after = { ...entry, ...(before ? changedBookkeeping(before, 1, sub) : newBookkeeping(sub)), tenantId } as unknown as Stored<K>;
    const type = before ? EVENTS[kind].updated : EVENTS[kind].created;
    const data = { [kind]: entryView(after), ...(before ? { before: entryView(before) } : {}) };
    await writeAccessEntry(tenantId, kind, id, before, after, [eventOf(request, kind, id, type, after.sequence, data)]);
    const location = kind === 'settings' ? `${ACCESS_PATH}/settings` : `${ACCESS_PATH}/${PATHS[kind]}/${encodeURIComponent(id)}`;
    return {
      status: before ? 200 : 201,
      body: entryView(after),
      headers: { etag: etag(after.version), ...(before ? {} : { location: `${request.baseUrl}${location}` }) },
    };
  });

/** Removes an entry (404 when there is none), after `check`. */
export const deleteEntry = <K extends AccessKind>(
  request: Request<unknown>,
  kind: K,
  id: string,
  check: (before: Stored<K>) => Promise<void> = async () => undefined,
): Promise<Response> =>
  withOptimisticRetry(async () => {
    const before = await getAccessEntry(request.caller.tenantId, kind, id);
    if (!before) throw entryNotFound(kind, id);
    checkIfMatch(request.headers, before.version);
    await check(before);
    const event = eventOf(request, kind, id, EVENTS[kind].removed, before.sequence + 1, { [kind]: entryView(before) });
    await writeAccessEntry(request.caller.tenantId, kind, id, before, undefined, [event]);
    return { status: 204 };
  });

/** 400 naming every role of `roles` that is neither built in nor one of the tenant's. */
export const checkRoles = async (tenantId: string, roles: readonly string[], path: string): Promise<void> => {
  const custom = roles.filter((role) => !BUILT_IN_ROLE_NAMES.includes(role));
  const found = await Promise.all(custom.map((role) => getAccessEntry(tenantId, 'role', role)));
  const unknown = custom.filter((_, i) => !found[i]);
  if (unknown.length > 0) throw badRequest(`Invalid request body: ${path}: no role ${unknown.map((r) => `'${r}'`).join(', ')} exists.`);
};

/** 400 naming every team of `teams` the tenant does not have. */
export const checkTeams = async (tenantId: string, teams: readonly string[], path: string): Promise<void> => {
  const found = await Promise.all(teams.map((team) => getAccessEntry(tenantId, 'team', team)));
  const unknown = teams.filter((_, i) => !found[i]);
  if (unknown.length > 0) throw badRequest(`Invalid request body: ${path}: no team ${unknown.map((t) => `'${t}'`).join(', ')} exists.`);
};

/** 409 for a built-in role: they are every tenant's, as they are. */
export const refuseBuiltIn = (name: string): void => {
  if (BUILT_IN_ROLE_NAMES.includes(name)) throw conflict(`'${name}' is a built-in role: built-in roles cannot be changed or removed; make a role of your own.`);
};
