/**
 * The CRM pipeline. A customer's `crmStatus` moves only along these transitions (a move to the
 * same status changes nothing); any other move is refused with the allowed targets named.
 *
 * | from     | allowed targets                           |
 * |----------|-------------------------------------------|
 * | LEAD     | PROSPECT, ACTIVE, INACTIVE, CHURNED       |
 * | PROSPECT | LEAD, ACTIVE, CUSTOMER, INACTIVE, CHURNED |
 * | ACTIVE   | CUSTOMER, INACTIVE, CHURNED               |
 * | CUSTOMER | ACTIVE, INACTIVE, CHURNED                 |
 * | INACTIVE | LEAD, PROSPECT, ACTIVE, CUSTOMER, CHURNED |
 * | CHURNED  | LEAD (win-back)                           |
 */
export const CRM_STATUSES = ['LEAD', 'PROSPECT', 'ACTIVE', 'CUSTOMER', 'INACTIVE', 'CHURNED'] as const;
export type CrmStatus = (typeof CRM_STATUSES)[number];

export const CRM_STATUS_TRANSITIONS: Record<CrmStatus, readonly CrmStatus[]> = {
  LEAD: ['PROSPECT', 'ACTIVE', 'INACTIVE', 'CHURNED'],
  PROSPECT: ['LEAD', 'ACTIVE', 'CUSTOMER', 'INACTIVE', 'CHURNED'],
  ACTIVE: ['CUSTOMER', 'INACTIVE', 'CHURNED'],
  CUSTOMER: ['ACTIVE', 'INACTIVE', 'CHURNED'],
  INACTIVE: ['LEAD', 'PROSPECT', 'ACTIVE', 'CUSTOMER', 'CHURNED'],
  CHURNED: ['LEAD'],
};

export const isCrmStatus = (value: string): value is CrmStatus => (CRM_STATUSES as readonly string[]).includes(value);

export type TransitionVerdict = { ok: true; changed: boolean } | { ok: false; allowed: readonly string[] };

/** Checks a move along a transition table: same state is an unchanged success. */
export const checkTransition = <S extends string>(table: Record<S, readonly S[]>, from: S, to: S): TransitionVerdict =>
  from === to ? { ok: true, changed: false } : table[from].includes(to) ? { ok: true, changed: true } : { ok: false, allowed: table[from] };
