/**
 * The single table's shape, defined once. The CDK stack and the local runtime both build the
 * table from this description, so the keys, indexes, stream and TTL attribute never drift.
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** Attribute that DynamoDB's TTL reads (epoch seconds): idempotency records expire through it. */
export const TTL_ATTRIBUTE = 'expiresAt';

export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
  /** What the index is for: one access pattern each. */
  purpose: string;
}

/**
 * Generic GSIs, each for one access pattern. Every key value starts with the tenant, so an index
 * Query can never reach another tenant's items.
 */
export const INDEXES = [
  { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', purpose: 'tenant-wide list of one entity type, oldest first (T#<tenant>#<TYPE> / <createdAt>#<id>)' },
  { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', purpose: 'customers by name (T#<tenant>#CUSTOMER#NAME / <lower-case name>#<id>): exact and prefix search' },
  { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', purpose: 'customers by owner (T#<tenant>#OWNER#<ownerId> / <lower-case name>#<id>)' },
  { name: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk', purpose: 'customers by CRM status (T#<tenant>#CRMSTATUS#<status> / <lower-case name>#<id>)' },
  { name: 'gsi5', partitionKey: 'gsi5pk', sortKey: 'gsi5sk', purpose: 'customers by next-action due date (T#<tenant>#NEXTACTION / <due>#<id>)' },
  { name: 'gsi6', partitionKey: 'gsi6pk', sortKey: 'gsi6sk', purpose: 'sparse, sharded due index: only items due and not yet flagged (DUE#<shard> / <due>#<pk>#<sk>)' },
] as const satisfies readonly IndexDefinition[];

export type IndexName = (typeof INDEXES)[number]['name'];

/** Every attribute used in a key, with its DynamoDB type. */
export const KEY_ATTRIBUTES: readonly string[] = [
  TABLE_KEYS.partitionKey,
  TABLE_KEYS.sortKey,
  ...INDEXES.flatMap((index) => [index.partitionKey, index.sortKey]),
];

/** Stream view: the publisher needs the new image of each inserted event item. */
export const STREAM_VIEW = 'NEW_AND_OLD_IMAGES' as const;

/** Entity marker of event items; the stream publisher's filter matches on it. */
export const EVENT_ENTITY = 'EVENT';
