import { createHash } from 'node:crypto';

/** Key builders: the only place that knows how items are addressed. Every key starts with the tenant. */
const tenantPrefix = (tenantId: string): string => `T#${tenantId}`;

/**
 * Shards of every tenant-wide customer index and counter. A customer's shard is fixed by its id,
 * so its index entries and its share of the counters always sit in the same shard. Each shard is
 * its own partition key (1,000 WCU/s each): eight give one tenant 8,000 index writes per second
 * per index (README, "Scale: the paper model"). Changing it means re-running the backfill.
 */
export const LIST_SHARDS = 8;

/**
 * Shards of a team's customer list (byTeam): a team is a part of a tenant, and a list reaching
 * several teams reads each one's shards, so fewer than the tenant's (2 × 1,000 WCU/s per team).
 */
export const TEAM_SHARDS = 2;

/** The shard of a value (a customer id, an incident reference): the first byte of its SHA-256. */
export const shardOf = (value: string, shards = LIST_SHARDS): number => createHash('sha256').update(value).digest()[0]! % shards;

/** Every shard number, in order. */
export const allShards = (shards = LIST_SHARDS): number[] => Array.from({ length: shards }, (_, i) => i);

const customerPk = (tenantId: string, id: string) => `${tenantPrefix(tenantId)}#CUSTOMER#${id}`;

/** One shard of a webhook's delivery log. */
export const webhookDeliveryPartition = (tenantId: string, webhookId: string, shard: number) => `${tenantPrefix(tenantId)}#WEBHOOK#${webhookId}#LOG#${shard}`;

/** A time-ordered id with each character replaced by its mirror in the alphabet: ascending order of these is newest first. */
const ID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const invertedId = (id: string): string => [...id].map((c) => ID_ALPHABET[31 - ID_ALPHABET.indexOf(c)] ?? c).join('');

export const keys = {
  customer: (tenantId: string, id: string) => ({ pk: customerPk(tenantId, id), sk: 'CUSTOMER' }),
  /** A tenant's TMF hub subscriptions share one partition: the notifier reads them all for each event. */
  subscription: (tenantId: string, id: string) => ({ pk: `${tenantPrefix(tenantId)}#HUBS`, sk: `HUB#${id}` }),
  subscriptions: (tenantId: string) => `${tenantPrefix(tenantId)}#HUBS`,
  /**
   * A tenant's custom field definitions of one object (`customer`, later `activity`, `opportunity`)
   * share one partition, in key order, with their counts and events: every write of the object
   * reads them all (bounded: 500, cached per instance).
   */
  fieldDefinitions: (tenantId: string, object: string) => `${tenantPrefix(tenantId)}#FIELDS#${object}`,
  fieldDefinition: (tenantId: string, object: string, key: string) => ({ pk: `${tenantPrefix(tenantId)}#FIELDS#${object}`, sk: `FIELD#${key}` }),
  /** A unique custom value's claim: its own partition per field and value (a hash of it), naming the record that holds it. */
  uniqueClaim: (tenantId: string, object: string, field: string, hash: string) => ({
    pk: `${tenantPrefix(tenantId)}#UNIQUE#${object}#${field}#${hash}`,
    sk: 'CLAIM',
  }),
  /** An import job (issue 27): its own partition, with a marker per chunk it has counted (so a chunk run twice counts once). */
  importJob: (tenantId: string, id: string) => ({ pk: `${tenantPrefix(tenantId)}#IMPORT#${id}`, sk: 'JOB' }),
  importChunk: (tenantId: string, id: string, chunk: number, part?: string) => ({
    pk: `${tenantPrefix(tenantId)}#IMPORT#${id}`,
    sk: `CHUNK#${String(chunk).padStart(6, '0')}${part ? `#${part}` : ''}`,
  }),
  /** One of a tenant's slots for running import chunks (IMPORT_LIMITS.tenantChunkConcurrency of them), each its own partition. */
  importSlot: (tenantId: string, slot: number) => ({ pk: `${tenantPrefix(tenantId)}#IMPORTSLOT#${slot}`, sk: 'SLOT' }),
  /** An export job (issue 27): its own partition. */
  exportJob: (tenantId: string, id: string) => ({ pk: `${tenantPrefix(tenantId)}#EXPORT#${id}`, sk: 'JOB' }),
  /** A tenant's webhook subscriptions share one partition (the dispatcher reads them all), with their events and count. */
  webhooks: (tenantId: string) => `${tenantPrefix(tenantId)}#WEBHOOKS`,
  webhook: (tenantId: string, id: string) => ({ pk: `${tenantPrefix(tenantId)}#WEBHOOKS`, sk: `WEBHOOK#${id}` }),
  /** Beside its webhook (the same prefix: one Query reads both): since when its deliveries fail. */
  webhookHealth: (tenantId: string, id: string) => ({ pk: `${tenantPrefix(tenantId)}#WEBHOOKS`, sk: `WEBHOOK#${id}#HEALTH` }),
  /**
   * A delivery's log entry: one per webhook and event, in the webhook's log sharded by the event
   * (no one partition takes every delivery of a busy webhook), newest first (the sort key is the
   * event id with every character inverted).
   */
  webhookDelivery: (tenantId: string, webhookId: string, eventId: string) => ({
    pk: webhookDeliveryPartition(tenantId, webhookId, shardOf(eventId)),
    sk: `D#${invertedId(eventId)}`,
  }),
  idempotency: (tenantId: string, operation: string, key: string) => ({
    pk: `${tenantPrefix(tenantId)}#IDEMPOTENCY#${operation}#${key}`,
    sk: 'IDEMPOTENCY',
  }),
  /**
   * Where a customer's collection points at an idempotency record that holds its request and
   * response (personal data an erasure must find); the record itself is keyed by operation and key.
   */
  idempotencyRef: (tenantId: string, customerId: string, operation: string, key: string) => ({
    pk: customerPk(tenantId, customerId),
    sk: `IDEMPOTENCY#${createHash('sha256').update(`${operation}#${key}`).digest('base64url')}`,
  }),
  /** Event items live in their subject's item collection: the timeline and the outbox. */
  event: (subjectPk: string, eventKey: string) => ({ pk: subjectPk, sk: `EVENT#${eventKey}` }),
  /** A mirrored event (PendingEvent.mirror): in the outbox beside the subject, outside its timeline (`EVENT#`). */
  mirroredEvent: (subjectPk: string, eventKey: string) => ({ pk: subjectPk, sk: `MIRROR#${eventKey}` }),
  /** The tenant's user directory, kept from verified token claims. */
  user: (tenantId: string, sub: string) => ({ pk: `${tenantPrefix(tenantId)}#USER#${sub}`, sk: 'USER' }),
  /** An activity or opportunity lives in its customer's item collection. */
  child: (tenantId: string, customerId: string, kind: 'ACTIVITY' | 'OPPORTUNITY', id: string) => ({
    pk: customerPk(tenantId, customerId),
    sk: `${kind}#${id}`,
  }),
  /** One shard of the tenant's customer count. */
  customerCount: (tenantId: string, shard: number) => ({ pk: `${tenantPrefix(tenantId)}#COUNT#CUSTOMERS#${shard}`, sk: 'COUNT' }),
  /** The count of the tenant's customers with exactly this name (hashed: any name fits the key). */
  nameCount: (tenantId: string, name: string) => ({
    pk: `${tenantPrefix(tenantId)}#COUNT#NAME#${createHash('sha256').update(name).digest('base64url')}`,
    sk: 'COUNT',
  }),
  /** One shard of the tenant's case statistics (BIAN incidents, by incident reference; CASE_STATISTICS_SHARDS). */
  caseStatistics: (tenantId: string, shard: number) => ({ pk: `${tenantPrefix(tenantId)}#CASESTATS#${shard}`, sk: 'STATS' }),
  caseTargets: (tenantId: string) => ({ pk: `${tenantPrefix(tenantId)}#CASETARGETS`, sk: 'TARGETS' }),
  /** A tenant's access model (teams, roles, users' teams and roles, settings) and its events: one partition (storage/access/). */
  access: (tenantId: string) => `${tenantPrefix(tenantId)}#ACCESS`,
  /**
   * Where a customer shared with a grantee (`user:<sub>`, `team:<id>`) is listed for it: a pointer
   * per share, sorted like the name index (`nameSk`); written only when a share or the customer's
   * name changes.
   */
  sharedWith: (tenantId: string, grantee: string) => `${tenantPrefix(tenantId)}#SHARED#${grantee}`,
  /**
   * One shard of a rate limit's one-second window: `subject` is `TENANT` or `U:<sub>`; each shard
   * holds its part of the window's limit (storage/rate-limits.ts). Expires a minute later.
   */
  rateWindow: (tenantId: string, subject: string, window: number, shard: number) => ({
    pk: `${tenantPrefix(tenantId)}#RATE#${subject}#${window}`,
    sk: `SHARD#${shard}`,
  }),
  tenantPrefix,
};

/** Partition keys of the sharded customer indexes (table-schema.ts). */
export const indexPartitions = {
  byName: (tenantId: string, shard: number) => `${tenantPrefix(tenantId)}#NAME#${shard}`,
  byOwner: (tenantId: string, ownerId: string, shard: number) => `${tenantPrefix(tenantId)}#OWNER#${ownerId}#${shard}`,
  byStatus: (tenantId: string, status: string, shard: number) => `${tenantPrefix(tenantId)}#CRMSTATUS#${status}#${shard}`,
  byTeam: (tenantId: string, teamId: string, shard: number) => `${tenantPrefix(tenantId)}#TEAM#${teamId}#${shard}`,
  byNextAction: (tenantId: string, shard: number) => `${tenantPrefix(tenantId)}#NEXTACTION#${shard}`,
  /** The tenant's event feed, sharded by the event's subject (so one subject's events stay in one shard, in order). */
  byFeed: (tenantId: string, shard: number) => `${tenantPrefix(tenantId)}#FEED#${shard}`,
};

/** The feed partition an event belongs in: its tenant's shard of its subject. */
export const feedPartitionOf = (event: { tenantId: string; subject: { id: string } }): string =>
  indexPartitions.byFeed(event.tenantId, shardOf(event.subject.id));

/** Sort key of the name-ordered indexes: lower-cased name, then the id to keep entries unique. */
export const nameSortKey = (name: string, id: string): string => `${name.toLowerCase()}#${id}`;

/** The customer id at the end of a customer index's sort key (ids hold no '#'). */
export const idOfSortKey = (sortKey: string): string => sortKey.slice(sortKey.lastIndexOf('#') + 1);
