import type { Request } from './kernel.ts';
import { count } from '../observability.ts';
import { BusinessMetric } from '../business-metrics.ts';
import type { Visibility } from '../storage/customers/customer-lists.ts';
import { getCustomer } from '../storage/customers/customers.ts';
import { badRequest, forbidden } from './errors.ts';
import { getAccessEntry } from '../storage/access/access-config.ts';
import { isKeyPart } from '../storage/table/limits.ts';
import {
  groupsChanged,
  groupsOf,
  groupsWith,
  keepingHidden,
  reaches,
  withoutHidden,
  type FieldGroup,
  type RecordFacts,
  type SensitiveKeys,
} from '../domain/access.ts';
import type { FieldsInForce } from '../domain/custom-values.ts';

/**
 * What a request may see and change, applied once for every family (issue 25): the caller's access
 * decision (the authorizer's, on `request.caller.access`) asked about a record or its fields.
 * An invisible record is treated as absent (404, as another tenant's is); a visible one the caller
 * may not change is 403; a field group hidden from the caller is taken out of what they are shown;
 * a change to a group they may not write is 403 naming it.
 */

type Caller = Pick<Request<unknown>, 'caller'>;

/**
 * 404 unless the caller reaches the customer for the action (403 for a visible one they may not
 * change): for what a customer owns (activities, opportunities). A caller who reaches the whole
 * tenant is not read for.
 */
export const checkCustomerReach = async (request: Caller, customerId: string, action: 'read' | 'write', missing: () => Error): Promise<void> => {
  if (request.caller.access[action].tenant) return;
  if (!reachable(request, await getCustomer(request.caller.tenantId, customerId), action)) throw missing();
};

/** The sensitive custom fields of a tenant, by key: the `sensitive` group. */
export const sensitiveKeysOf = (fields: FieldsInForce): SensitiveKeys => ({
  sensitive: new Set([...fields.values()].filter((definition) => definition.sensitive === true).map((definition) => definition.key)),
});

/** May the caller read (or write) this record? */
export const mayReach = (request: Caller, record: RecordFacts, action: 'read' | 'write'): boolean => reaches(request.caller.access, action, record);

/**
 * The record if the caller reaches it for the action: undefined when they may not even read it
 * (the caller answers 404, as for a record of another tenant), 403 when they may read it but the
 * action is a write they may not make.
 */
export const reachable = <R extends RecordFacts>(request: Caller, record: R | undefined, action: 'read' | 'write'): R | undefined => {
  if (record === undefined) return undefined;
  if (!mayReach(request, record, 'read')) return refused(undefined);
  if (action === 'write' && !mayReach(request, record, 'write')) throw refused(forbidden('You may read this customer but not change it.'));
  return record;
};

/** Counts a refusal by the caller's access (the AccessRefused metric, alarmed on a surge) and hands back what it answers. */
const refused = <T>(answer: T): T => {
  count(BusinessMetric.AccessRefused);
  return answer;
};

/** The record as the caller may see it: the field groups hidden from them taken out (domain/access.ts, withoutHidden). */
export const shownToCaller = <R extends Record<string, unknown>>(request: Caller, record: R, fields: FieldsInForce): R =>
  withoutHidden(record, groupsWith(request.caller.access, 'read'), sensitiveKeysOf(fields));

const GROUP_NAMES: Record<FieldGroup, string> = {
  emails: 'e-mail addresses',
  phones: 'phone numbers',
  addresses: 'addresses',
  birthDate: 'birth date',
  identifiers: 'identifiers',
  sensitive: 'sensitive custom fields',
};

/**
 * The record a caller's change stores, checked against their field access: a hidden field the
 * change does not send is kept as stored (they never saw it), one it sends is refused like a field
 * they may only read — 403 naming each group, and nothing is written.
 */
export const guardedChange = <R extends Record<string, unknown>>(request: Caller, before: Record<string, unknown>, after: R, fields: FieldsInForce): R => {
  const access = request.caller.access;
  const closed = groupsWith(access, 'write');
  if (closed.length === 0) return after;
  const keys = sensitiveKeysOf(fields);
  const hidden = groupsWith(access, 'read');
  const sent = groupsOf(after, keys);
  // A hidden group counts as changed only when the change holds values of it that differ from the stored ones.
  const attempted = groupsChanged(before, after, keys).filter((group) => !hidden.includes(group) || sent.has(group));
  const kept = keepingHidden(before, after, hidden, keys) as R;
  const closedGroups = [...new Set([...attempted, ...groupsChanged(before, kept, keys)])].filter((group) => closed.includes(group));
  if (closedGroups.length > 0) throw refused(forbidden(`You may not change these fields: ${closedGroups.map((group) => GROUP_NAMES[group]).join(', ')}.`));
  return kept;
};

/** 403 when a change gives values of sensitive custom fields and the caller may not write them (before any is checked or claimed). */
export const refuseClosedCustomValues = (request: Caller, given: Record<string, unknown>, fields: FieldsInForce): void => {
  if (request.caller.access.fields.sensitive === 'write') return;
  const { sensitive } = sensitiveKeysOf(fields);
  if (Object.keys(given).some((key) => sensitive.has(key))) throw refused(forbidden(`You may not change these fields: ${GROUP_NAMES.sensitive}.`));
};

/** The customers a caller reaches for reading, as the storage layer lists them (when less than the tenant). */
export const visibilityOf = (request: Caller): Visibility => {
  const { read, user, grantees } = request.caller.access;
  return { teams: read.teams, ...(read.own ? { owner: user } : {}), grantees: read.shared ? grantees : [] };
};

/**
 * A new customer as the caller may create it: in their first team and owned by them unless the
 * write says otherwise (when their roles reach less than the tenant, so what they create stays
 * theirs), only values of field groups they may write, and one they could change afterwards (403
 * otherwise). A team the write names must exist (400).
 */
export const asCreatedBy = async <R extends Record<string, unknown>>(request: Caller, record: R, fields: FieldsInForce): Promise<R> => {
  const { access, tenantId } = request.caller;
  const narrowed = !access.write.tenant;
  const placed: Record<string, unknown> = {
    ...(narrowed && record.ownerId === undefined && access.write.own ? { ownerId: access.user } : {}),
    ...(record.teamId === undefined && access.teams.length > 0 ? { teamId: access.teams[0] } : {}),
    ...record,
  };
  if (typeof placed.teamId === 'string') await checkTeam(tenantId, placed.teamId);
  if (!reaches(access, 'write', placed))
    throw refused(forbidden('You may not create a customer you could not change: give it an owner or team your roles reach.'));
  return guardedChange(request, {}, placed, fields) as R;
};

/** 400 unless the team exists in the tenant's access model. */
export const checkTeam = async (tenantId: string, teamId: string): Promise<void> => {
  if (!isKeyPart(teamId) || !(await getAccessEntry(tenantId, 'team', teamId))) throw badRequest(`Invalid request body: teamId: no team '${teamId}' exists.`);
};
