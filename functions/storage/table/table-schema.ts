/**
 * The single table's shape, defined once. The CDK stack and the local runtime both build the
 * table from this description, so the keys, indexes, stream and TTL attribute never drift.
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** Attribute that DynamoDB's TTL reads (epoch seconds): idempotency records expire through it. */
export const TTL_ATTRIBUTE = 'expiresAt';

export type Projection = { type: 'KEYS_ONLY' } | { type: 'INCLUDE'; attributes: readonly string[] } | { type: 'ALL' };

export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
  /** What a copy in the index holds: only what its list reads, so a change to anything else rewrites no copy. */
  projection: Projection;
  /** What the index is for: one access pattern each. */
  purpose: string;
}

/**
 * First-level TMF629 attributes copied into the name index, so the TMF list can filter on them
 * inside the index (bounded work per request) without reading whole items.
 */
export const NAME_INDEX_ATTRIBUTES = ['name', 'status', 'statusReason', '@type', '@baseType', '@schemaLocation'] as const;

/**
 * The global secondary indexes, each for one access pattern. The three name-ordered ones share
 * one sort key attribute (`nameSk`), so an item stores its name key once. Every customer index is sharded
 * (`…#<shard>` at the end of its partition key, the shard taken from the customer id), so no one
 * partition key carries all of a tenant's writes; lists merge the shards in sort-key order. Every
 * partition key value of a customer index starts with the tenant.
 */
export const INDEXES = [
  {
    name: 'byName',
    partitionKey: 'namePk',
    sortKey: 'nameSk',
    projection: { type: 'INCLUDE', attributes: NAME_INDEX_ATTRIBUTES },
    purpose: 'customers by name — the tenant-wide list, name prefix search, TMF filters (T#<tenant>#NAME#<shard> / <lower-case name>#<id>)',
  },
  {
    name: 'byOwner',
    partitionKey: 'ownerPk',
    sortKey: 'nameSk',
    projection: { type: 'KEYS_ONLY' },
    purpose: 'customers by owner, by name (T#<tenant>#OWNER#<ownerId>#<shard> / <lower-case name>#<id>)',
  },
  {
    name: 'byStatus',
    partitionKey: 'statusPk',
    sortKey: 'nameSk',
    projection: { type: 'KEYS_ONLY' },
    purpose: 'customers by CRM status, by name (T#<tenant>#CRMSTATUS#<status>#<shard> / <lower-case name>#<id>)',
  },
  {
    name: 'byNextAction',
    partitionKey: 'nextPk',
    sortKey: 'nextSk',
    projection: { type: 'KEYS_ONLY' },
    purpose: 'sparse: customers whose next action the due sweep flagged overdue, by due date (T#<tenant>#NEXTACTION#<shard> / <due>#<id>)',
  },
  {
    name: 'byDue',
    partitionKey: 'duePk',
    sortKey: 'dueSk',
    projection: { type: 'KEYS_ONLY' },
    purpose: 'sparse, sharded due index across tenants: only items due and not yet flagged (DUE#<shard> / <due>#<pk>#<sk>)',
  },
  {
    name: 'byFeed',
    partitionKey: 'feedPk',
    sortKey: 'feedSk',
    projection: { type: 'INCLUDE', attributes: ['detailType'] },
    purpose: "the tenant's event feed in commit order: every event item, sharded by its subject (T#<tenant>#FEED#<shard> / <time-ordered position>)",
  },
  {
    name: 'byTeam',
    partitionKey: 'teamPk',
    sortKey: 'nameSk',
    projection: { type: 'KEYS_ONLY' },
    purpose:
      "customers by team, and by who they are shared with, by name: what a caller whose roles reach less than the tenant lists (T#<tenant>#TEAM#<teamId>#<shard> from the customer; T#<tenant>#SHARED#<grantee> from a share's pointer item / <lower-case name>#<id>)",
  },
] as const satisfies readonly IndexDefinition[];

export type IndexName = (typeof INDEXES)[number]['name'];

/**
 * The index layout before the scale work: six indexes projecting whole items, with one partition
 * per tenant. Kept only so a deployed table can move to INDEXES one index per update (README,
 * "Moving a deployed table to the current index layout"); no code reads them.
 */
export const LEGACY_INDEXES = [1, 2, 3, 4, 5, 6].map(
  (n): IndexDefinition => ({ name: `gsi${n}`, partitionKey: `gsi${n}pk`, sortKey: `gsi${n}sk`, projection: { type: 'ALL' }, purpose: 'legacy layout' }),
);

/** The attributes of every index key, current and legacy: storage strips them from records. */
export const INDEX_KEY_ATTRIBUTES: readonly string[] = [...new Set([...INDEXES, ...LEGACY_INDEXES].flatMap((index) => [index.partitionKey, index.sortKey]))];

/** Stream view: the publisher needs the new image of each inserted event item. */
export const STREAM_VIEW = 'NEW_AND_OLD_IMAGES' as const;

/** Entity marker of event items; the stream publisher's filter matches on it. */
export const EVENT_ENTITY = 'EVENT';

/** Deploys it takes to move a table from LEGACY_INDEXES to INDEXES, one index created or deleted per deploy. */
export const MIGRATION_STEPS = INDEXES.length + LEGACY_INDEXES.length;

/**
 * The indexes a table has at a step of that move: steps 1–6 add the current indexes one by one
 * beside the legacy ones, steps 7–12 delete the legacy ones one by one. No step (the default): the
 * current layout.
 */
export const tableIndexes = (migrationStep?: number): readonly IndexDefinition[] => {
  if (migrationStep === undefined || migrationStep >= MIGRATION_STEPS) return INDEXES;
  if (!Number.isInteger(migrationStep) || migrationStep < 1) throw new Error(`index migration step must be a whole number from 1 to ${MIGRATION_STEPS}`);
  if (migrationStep <= INDEXES.length) return [...LEGACY_INDEXES, ...INDEXES.slice(0, migrationStep)];
  return [...LEGACY_INDEXES.slice(migrationStep - INDEXES.length), ...INDEXES];
};

/** Every attribute used in a key of the table or of the given indexes (all strings). */
export const keyAttributes = (indexes: readonly IndexDefinition[]): string[] => [
  ...new Set([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, ...indexes.flatMap((index) => [index.partitionKey, index.sortKey])]),
];
