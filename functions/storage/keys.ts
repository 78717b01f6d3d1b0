/** Key builders: the only place that knows how items are addressed. Every key starts with the tenant. */
const tenantPrefix = (tenantId: string): string => `T#${tenantId}`;

export const keys = {
  customer: (tenantId: string, id: string) => ({ pk: `${tenantPrefix(tenantId)}#CUSTOMER#${id}`, sk: 'CUSTOMER' }),
  subscription: (tenantId: string, id: string) => ({ pk: `${tenantPrefix(tenantId)}#HUB#${id}`, sk: 'HUB' }),
  idempotency: (tenantId: string, operation: string, key: string) => ({
    pk: `${tenantPrefix(tenantId)}#IDEMPOTENCY#${operation}#${key}`,
    sk: 'IDEMPOTENCY',
  }),
  /** Event items live in their subject's item collection: the timeline and the outbox. */
  event: (subjectPk: string, eventKey: string) => ({ pk: subjectPk, sk: `EVENT#${eventKey}` }),
  /** Tenant-wide list of one entity type (gsi1). */
  typeList: (tenantId: string, type: string) => `${tenantPrefix(tenantId)}#${type}`,
  /** Customers by name (gsi2). */
  nameIndex: (tenantId: string) => `${tenantPrefix(tenantId)}#CUSTOMER#NAME`,
  /** Customers by owner (gsi3). */
  ownerIndex: (tenantId: string, ownerId: string) => `${tenantPrefix(tenantId)}#OWNER#${ownerId}`,
  /** Customers by CRM status (gsi4). */
  crmStatusIndex: (tenantId: string, status: string) => `${tenantPrefix(tenantId)}#CRMSTATUS#${status}`,
  /** Customers by next-action due date (gsi5). */
  nextActionIndex: (tenantId: string) => `${tenantPrefix(tenantId)}#NEXTACTION`,
  /** The tenant's user directory, kept from verified token claims. */
  user: (tenantId: string, sub: string) => ({ pk: `${tenantPrefix(tenantId)}#USER#${sub}`, sk: 'USER' }),
  /** An activity or opportunity lives in its customer's item collection. */
  child: (tenantId: string, customerId: string, kind: 'ACTIVITY' | 'OPPORTUNITY', id: string) => ({
    pk: `${tenantPrefix(tenantId)}#CUSTOMER#${customerId}`,
    sk: `${kind}#${id}`,
  }),
  tenantPrefix,
};

/** Sort key of the name index: lower-cased name, then the id to keep entries unique. */
export const nameSortKey = (name: string, id: string): string => `${name.toLowerCase()}#${id}`;

/** Sort key of a tenant-wide list: creation time, then id. */
export const createdSortKey = (createdAt: string, id: string): string => `${createdAt}#${id}`;
