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
};

/** Sort key of the name index: lower-cased name, then the id to keep entries unique. */
export const nameSortKey = (name: string, id: string): string => `${name.toLowerCase()}#${id}`;

/** Sort key of a tenant-wide list: creation time, then id. */
export const createdSortKey = (createdAt: string, id: string): string => `${createdAt}#${id}`;
