/**
 * Who may see and change what (issue 25), as data: roles, what a role reaches (records by scope,
 * personal fields by group), and the decision a caller carries through a request. The rules are
 * written in Cedar and evaluated once per caller by the authorizer (functions/auth/); what comes
 * out is an `AccessDecision`, and this module answers the questions a request asks of it — may
 * this caller read this customer, which of its fields may they see — with no policy engine.
 *
 * Nothing here reads the table.
 */
import { isJsonObject } from './canonical-json.ts';

/**
 * How far a role reaches over customers, for reading and for writing separately: none, the
 * customers the caller owns, those of the caller's teams, of their teams and every team under
 * them, or the whole tenant. Explicit shares reach further, whatever the role.
 */
export const RECORD_SCOPES = ['none', 'own', 'team', 'subtree', 'tenant'] as const;
export type RecordScope = (typeof RECORD_SCOPES)[number];

/**
 * The personal fields a role may hide or keep read-only: the customer's e-mails, phones and
 * addresses (its contact media), birth date and identifiers (its engaged party's `birthDate` and
 * `partyIdentification`), and every custom field marked `sensitive`.
 */
export const FIELD_GROUPS = ['emails', 'phones', 'addresses', 'birthDate', 'identifiers', 'sensitive'] as const;
export type FieldGroup = (typeof FIELD_GROUPS)[number];

/** What a role may do with a field group: not see it, see it, or see and change it. */
export const FIELD_ACCESS = ['hidden', 'read', 'write'] as const;
export type FieldAccess = (typeof FIELD_ACCESS)[number];

export interface RoleDefinition {
  /** `[a-z][a-z0-9_-]*`, at most 63 characters; the built-in names are taken. */
  name: string;
  description?: string;
  read: RecordScope;
  write: RecordScope;
  /** Access per field group; a group not named is `write` (a role restricts what it names). */
  fields: Partial<Record<FieldGroup, FieldAccess>>;
}

export const ROLE_NAME = /^[a-z][a-z0-9_-]{0,62}$/;

const everyField = (access: FieldAccess): Record<FieldGroup, FieldAccess> =>
  Object.fromEntries(FIELD_GROUPS.map((group) => [group, access])) as Record<FieldGroup, FieldAccess>;

/**
 * The roles every tenant has, usable as they are: a tenant's own roles sit beside them (a custom
 * role may not take a built-in name).
 */
export const BUILT_IN_ROLES: readonly RoleDefinition[] = [
  { name: 'admin', description: 'Every customer and every field, read and write.', read: 'tenant', write: 'tenant', fields: everyField('write') },
  {
    name: 'manager',
    description: "The customers of the manager's teams and every team under them, every field.",
    read: 'subtree',
    write: 'subtree',
    fields: everyField('write'),
  },
  {
    name: 'rep',
    description: "Reads the team's customers, changes their own; contact details yes, identifiers and sensitive fields no.",
    read: 'team',
    write: 'own',
    fields: { emails: 'write', phones: 'write', addresses: 'write', birthDate: 'read', identifiers: 'hidden', sensitive: 'hidden' },
  },
  {
    name: 'support',
    description: 'Reads every customer to help them; sees how to reach them, not their birth date, identifiers or sensitive fields.',
    read: 'tenant',
    write: 'none',
    fields: { emails: 'read', phones: 'read', addresses: 'read', birthDate: 'hidden', identifiers: 'hidden', sensitive: 'hidden' },
  },
  { name: 'auditor', description: 'Reads every customer and every field, changes nothing.', read: 'tenant', write: 'none', fields: everyField('read') },
];

export const BUILT_IN_ROLE_NAMES: readonly string[] = BUILT_IN_ROLES.map((role) => role.name);

/**
 * The role of a caller whom nothing gives one (no assignment, no group, no team role), until the
 * tenant names another: `admin`, so a tenant that has set up no access works as before.
 */
export const DEFAULT_ROLE = 'admin';

/** Limits on a tenant's access model (README, "Who may see what"). */
export const ACCESS_LIMITS = {
  teams: 1000,
  /** Levels of teams under a top team: the walk up a team's parents is bounded. */
  teamDepth: 8,
  customRoles: 100,
  /** Teams a user belongs to, roles given to one user or team. */
  teamsPerUser: 20,
  rolesPerHolder: 10,
  /** Users and teams one customer is shared with. */
  sharesPerCustomer: 20,
  /**
   * Teams whose customers one list merges (the caller's reach below their teams): a page reads
   * each team's index partitions, so this bounds a page's Queries.
   */
  listedTeams: 32,
} as const;

/** What a caller reaches, for one action (read or write). */
export interface Reach {
  /** Every customer of the tenant. */
  tenant: boolean;
  /** The customers the caller owns. */
  own: boolean;
  /** The customers of these teams. */
  teams: string[];
  /** The customers shared with the caller (or one of their teams) for this action. */
  shared: boolean;
}

/**
 * A caller's access, decided by the authorizer (Cedar) and carried by the request: who they are,
 * their roles and teams, what they reach for reading and writing, and per field group what they
 * may do. `grantees` are the share keys that name the caller: `user:<sub>` and `team:<id>` for
 * each of their teams and the teams above them (a share with a team reaches its sub-teams).
 */
export interface AccessDecision {
  user: string;
  roles: string[];
  teams: string[];
  grantees: string[];
  read: Reach;
  write: Reach;
  fields: Record<FieldGroup, FieldAccess>;
}

/** The decision of a caller with every right: what the local tools and a tenant with no access set up see. */
export const FULL_ACCESS = (user: string): AccessDecision => ({
  user,
  roles: [DEFAULT_ROLE],
  teams: [],
  grantees: [`user:${user}`],
  read: { tenant: true, own: true, teams: [], shared: true },
  write: { tenant: true, own: true, teams: [], shared: true },
  fields: everyField('write'),
});

/** A share of one customer: with a user or a team, to read or to read and write. */
export interface Share {
  grantee: string;
  access: 'read' | 'write';
}

export const GRANTEE = /^(user|team):[^#\s]{1,200}$/;

/** What decides whether a caller reaches a customer: its owner, its team, its shares. */
export interface RecordFacts {
  ownerId?: unknown;
  teamId?: unknown;
  shares?: unknown;
  [attribute: string]: unknown;
}

/** The shares a record holds (`shares`: grantee → access), as a list. */
export const sharesOf = (record: RecordFacts): Share[] =>
  isJsonObject(record.shares)
    ? Object.entries(record.shares).flatMap(([grantee, access]) => (access === 'read' || access === 'write' ? [{ grantee, access }] : []))
    : [];

/**
 * Does the caller reach the record for the action? Owner, team, tenant or a share: the conditions
 * the authorizer's decision turned the caller's policies into, applied to one record.
 */
export const reaches = (decision: AccessDecision, action: 'read' | 'write', record: RecordFacts): boolean => {
  const reach = decision[action];
  if (reach.tenant) return true;
  if (reach.own && record.ownerId !== undefined && record.ownerId === decision.user) return true;
  if (typeof record.teamId === 'string' && reach.teams.includes(record.teamId)) return true;
  if (!reach.shared) return false;
  return sharesOf(record).some((share) => decision.grantees.includes(share.grantee) && (action === 'read' || share.access === 'write'));
};

/** Does the caller's read reach fall short of the whole tenant (so a tenant-wide count would say more than they may see)? */
export const narrowerThanTenant = (decision: AccessDecision): boolean => !decision.read.tenant;

// --- Field groups in a stored customer -----------------------------------------------------------

type Medium = { mediumType?: unknown; characteristic?: unknown };

/** The field group a contact medium belongs to: e-mail, phone (and fax), or address (every other medium). */
export const mediumGroup = (medium: Medium): FieldGroup => {
  const type = String(medium.mediumType ?? '').toLowerCase();
  const characteristic = isJsonObject(medium.characteristic) ? medium.characteristic : {};
  if (type.includes('email') || characteristic.emailAddress !== undefined) return 'emails';
  if (
    type.includes('phone') ||
    type.includes('mobile') ||
    type.includes('fax') ||
    characteristic.phoneNumber !== undefined ||
    characteristic.faxNumber !== undefined
  )
    return 'phones';
  return 'addresses';
};

/** The engaged party's attributes that are personal, by group. */
const PARTY_GROUPS: Record<string, FieldGroup> = { birthDate: 'birthDate', partyIdentification: 'identifiers' };

/** The groups the caller may not see, or may not change. */
export const groupsWith = (decision: AccessDecision, below: 'read' | 'write'): FieldGroup[] =>
  FIELD_GROUPS.filter((group) => (below === 'read' ? decision.fields[group] === 'hidden' : decision.fields[group] !== 'write'));

/** Is every field group open to the caller for the action (nothing to strip or guard)? */
export const seesEveryField = (decision: AccessDecision, action: 'read' | 'write' = 'read'): boolean => groupsWith(decision, action).length === 0;

/**
 * The custom field keys of a group: `sensitive` holds the sensitive custom fields; the others
 * hold none. The caller passes the keys of the tenant's sensitive fields.
 */
export interface SensitiveKeys {
  sensitive: ReadonlySet<string>;
}

/**
 * The field groups a stored customer holds values of: which contact media, which engaged-party
 * attributes, whether a sensitive custom value.
 */
export const groupsOf = (record: Record<string, unknown>, keys: SensitiveKeys): Set<FieldGroup> => {
  const groups = new Set<FieldGroup>();
  for (const medium of Array.isArray(record.contactMedium) ? record.contactMedium : []) if (isJsonObject(medium)) groups.add(mediumGroup(medium));
  const party = isJsonObject(record.engagedParty) ? record.engagedParty : {};
  for (const [attribute, group] of Object.entries(PARTY_GROUPS)) if (party[attribute] !== undefined) groups.add(group);
  const custom = isJsonObject(record.customFields) ? record.customFields : {};
  if (Object.keys(custom).some((key) => keys.sensitive.has(key))) groups.add('sensitive');
  return groups;
};

/**
 * The record as the caller may see it: the contact media, engaged-party attributes and sensitive
 * custom values of the groups hidden from them taken out. Every family's view is built from this,
 * so a hidden field is absent the same way everywhere.
 */
export const withoutHidden = <R extends Record<string, unknown>>(record: R, hidden: readonly FieldGroup[], keys: SensitiveKeys): R => {
  if (hidden.length === 0) return record;
  const shown: Record<string, unknown> = { ...record };
  if (Array.isArray(record.contactMedium)) {
    const media = record.contactMedium.filter((medium) => !isJsonObject(medium) || !hidden.includes(mediumGroup(medium)));
    if (media.length > 0) shown.contactMedium = media;
    else delete shown.contactMedium;
  }
  if (isJsonObject(record.engagedParty)) {
    const party = { ...record.engagedParty };
    for (const [attribute, group] of Object.entries(PARTY_GROUPS)) if (hidden.includes(group)) delete party[attribute];
    shown.engagedParty = party;
  }
  if (hidden.includes('sensitive') && isJsonObject(record.customFields)) {
    shown.customFields = Object.fromEntries(Object.entries(record.customFields).filter(([key]) => !keys.sensitive.has(key)));
  }
  return shown as R;
};

/**
 * The field groups a change touches: those whose values differ between the stored record and the
 * record the change would store (a value sent back unchanged touches nothing).
 */
export const groupsChanged = (before: Record<string, unknown>, after: Record<string, unknown>, keys: SensitiveKeys): FieldGroup[] => {
  const media = (record: Record<string, unknown>, group: FieldGroup) =>
    JSON.stringify((Array.isArray(record.contactMedium) ? record.contactMedium : []).filter((m) => isJsonObject(m) && mediumGroup(m) === group));
  const party = (record: Record<string, unknown>, attribute: string) =>
    JSON.stringify(isJsonObject(record.engagedParty) ? record.engagedParty[attribute] : undefined);
  const sensitive = (record: Record<string, unknown>) => {
    const custom = isJsonObject(record.customFields) ? record.customFields : {};
    return JSON.stringify(
      Object.entries(custom)
        .filter(([key]) => keys.sensitive.has(key))
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  };
  const changed = new Set<FieldGroup>();
  for (const group of ['emails', 'phones', 'addresses'] as const) if (media(before, group) !== media(after, group)) changed.add(group);
  for (const [attribute, group] of Object.entries(PARTY_GROUPS)) if (party(before, attribute) !== party(after, attribute)) changed.add(group);
  if (sensitive(before) !== sensitive(after)) changed.add('sensitive');
  return [...changed];
};

/**
 * The record a caller's change stores, with what they may not see kept as it was: a caller who
 * never saw a hidden field cannot send it back, so a replace or a merge patch built from what they
 * saw must not drop it.
 */
export const keepingHidden = (
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  hidden: readonly FieldGroup[],
  keys: SensitiveKeys,
): Record<string, unknown> => {
  if (hidden.length === 0) return after;
  const kept: Record<string, unknown> = { ...after };
  const hiddenMedia = (Array.isArray(before.contactMedium) ? before.contactMedium : []).filter((m) => isJsonObject(m) && hidden.includes(mediumGroup(m)));
  const shownMedia = (Array.isArray(after.contactMedium) ? after.contactMedium : []).filter((m) => !isJsonObject(m) || !hidden.includes(mediumGroup(m)));
  const media = [...shownMedia, ...hiddenMedia];
  if (media.length > 0) kept.contactMedium = media;
  else delete kept.contactMedium;
  if (isJsonObject(after.engagedParty)) {
    const party = { ...after.engagedParty };
    const old = isJsonObject(before.engagedParty) ? before.engagedParty : {};
    for (const [attribute, group] of Object.entries(PARTY_GROUPS)) {
      if (!hidden.includes(group)) continue;
      if (old[attribute] === undefined) delete party[attribute];
      else party[attribute] = old[attribute];
    }
    kept.engagedParty = party;
  }
  if (hidden.includes('sensitive')) {
    const oldCustom = isJsonObject(before.customFields) ? before.customFields : {};
    const newCustom = isJsonObject(after.customFields) ? after.customFields : {};
    const custom = {
      ...Object.fromEntries(Object.entries(newCustom).filter(([key]) => !keys.sensitive.has(key))),
      ...Object.fromEntries(Object.entries(oldCustom).filter(([key]) => keys.sensitive.has(key))),
    };
    if (Object.keys(custom).length > 0) kept.customFields = custom;
    else delete kept.customFields;
  }
  return kept;
};
