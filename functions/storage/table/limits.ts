/**
 * DynamoDB's limits, and the checks that keep every request inside them, in one place: a value
 * DynamoDB would refuse is refused here first, as a storage error the kernel turns into the
 * family's 4xx (never a 500 from the database).
 */
import { INDEXES, TABLE_KEYS } from './table-schema.ts';

export const DYNAMODB_LIMITS = {
  partitionKeyBytes: 2048,
  sortKeyBytes: 1024,
  itemBytes: 400 * 1024,
  nestingLevels: 32,
  /** Numbers: magnitude below 1e126 and at least 1e-130 (a JavaScript number never passes the 38 significant digits). */
  numberBound: 1e126,
  numberMinMagnitude: 1e-130,
  /** Items of one TransactWriteItems. */
  transactionItems: 100,
} as const;

/**
 * EventBridge's limits for what the outbox publishes: an entry (its time, source, detail-type and
 * detail) and a PutEvents request (its entries together) at most 256 KB, at most 10 entries a request.
 */
export const EVENT_BUS_LIMITS = { entryBytes: 256 * 1024, requestBytes: 256 * 1024, entriesPerRequest: 10 } as const;

/** The size EventBridge counts for an entry: 14 bytes for its time, and the UTF-8 bytes of source, detail-type and detail. */
export const eventEntryBytes = (entry: { Source?: string; DetailType?: string; Detail?: string }): number =>
  14 + bytes(entry.Source ?? '') + bytes(entry.DetailType ?? '') + bytes(entry.Detail ?? '');

/**
 * The longest id, tenant or owner a key may embed, in UTF-8 bytes. Every key Rapport builds puts at
 * most two of them beside prefixes of under 40 bytes (`T#<tenant>#OWNER#<owner>#<shard>`), so any
 * key stays far inside the partition and sort key limits. Rapport's own ids are 36 characters.
 */
export const MAX_KEY_PART_BYTES = 128;

/**
 * How deep a request body may nest: 24. A stored record sits one level into its item and an event
 * carries it two levels further (`detail.event.customer`); DynamoDB's 32 less 8 leaves room for both.
 */
export const MAX_BODY_NESTING = DYNAMODB_LIMITS.nestingLevels - 8;

/** A value refused before any request because DynamoDB could not store it. `tooLarge`: 413, otherwise 400. */
export class NotStorable extends Error {
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
    this.name = 'NotStorable';
  }
}

const bytes = (value: string): number => Buffer.byteLength(value, 'utf8');

/** Is `value` no longer than a key part may be (128 UTF-8 bytes), and free of control characters? */
export const fitsKeyPart = (value: string): boolean => bytes(value) <= MAX_KEY_PART_BYTES && !/\p{Cc}/u.test(value);

/**
 * Can `value` be part of a key (an id, a tenant, an owner)? 1 to 128 UTF-8 bytes, no `#` (the key
 * separator: an id holding one could address another key's items) and no control characters.
 */
export const isKeyPart = (value: string): boolean => value.length > 0 && !value.includes('#') && fitsKeyPart(value);

/**
 * The first thing in a request's JSON that DynamoDB could not store: nesting deeper than
 * MAX_BODY_NESTING, a number outside DynamoDB's range, or a field with an empty name. Undefined when storable.
 */
export const unstorableValue = (value: unknown, where = 'body'): string | undefined => {
  const walk = (node: unknown, path: string, depth: number): string | undefined => {
    if (typeof node === 'number') {
      const magnitude = Math.abs(node);
      if (!Number.isFinite(node) || magnitude >= DYNAMODB_LIMITS.numberBound || (magnitude !== 0 && magnitude < DYNAMODB_LIMITS.numberMinMagnitude))
        return `${path} is a number outside the range that can be stored (±1e-130 to ±9.99e125)`;
      return undefined;
    }
    if (node === null || typeof node !== 'object') return undefined;
    if (depth >= MAX_BODY_NESTING) return `${path} nests more than ${MAX_BODY_NESTING} levels deep`;
    if (!Array.isArray(node) && Object.hasOwn(node, '')) return `${path} has a field with an empty name`;
    const entries: [string, unknown][] = Array.isArray(node) ? node.map((v, i) => [`[${i}]`, v]) : Object.entries(node).map(([k, v]) => [`.${k}`, v]);
    for (const [step, child] of entries) {
      const problem = walk(child, `${path}${step}`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  };
  return walk(value, where, 0);
};

/** Which field of a record each key attribute is built from, to name it when its key would be too long. */
const KEY_SOURCES: Record<string, string> = { nameSk: 'name', ownerPk: 'ownerId', statusPk: 'crmStatus' };
const PARTITION_KEYS = new Set<string>([TABLE_KEYS.partitionKey, ...INDEXES.map((index) => index.partitionKey)]);
const SORT_KEYS = new Set<string>([TABLE_KEYS.sortKey, ...INDEXES.map((index) => index.sortKey)]);

/**
 * Rough stored size of an item: attribute names plus values, as DynamoDB counts them (strings and
 * binaries by their bytes, numbers up to 21 bytes, 3 bytes per list or map and 1 per element).
 */
const sizeOf = (value: unknown): number => {
  if (typeof value === 'string') return bytes(value);
  if (typeof value === 'number') return 21;
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + sizeOf(v), 0);
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + sizeOf(v), 0);
  if (typeof value === 'object') return 3 + Object.entries(value).reduce((sum, [k, v]) => sum + 1 + bytes(k) + sizeOf(v), 0);
  return 0;
};

/** An item's size as DynamoDB counts it against the 400 KB limit and in capacity units: each attribute's name and value. */
export const itemBytes = (item: Record<string, unknown>): number => Object.entries(item).reduce((sum, [k, v]) => sum + bytes(k) + sizeOf(v), 0);

/** Before a write: its key attributes within DynamoDB's key limits and the item within 400 KB (NotStorable otherwise). */
export const checkItemLimits = (item: Record<string, unknown>): void => {
  for (const [attribute, value] of Object.entries(item)) {
    if (typeof value !== 'string') continue;
    const limit = PARTITION_KEYS.has(attribute) ? DYNAMODB_LIMITS.partitionKeyBytes : SORT_KEYS.has(attribute) ? DYNAMODB_LIMITS.sortKeyBytes : undefined;
    if (limit !== undefined && bytes(value) > limit) {
      const field = KEY_SOURCES[attribute];
      throw new NotStorable(
        field
          ? `${field} is too long to store: with the id it makes an index key of ${bytes(value)} bytes in UTF-8, and at most ${limit} fit`
          : `A key would be ${bytes(value)} bytes, and at most ${limit} fit.`,
      );
    }
  }
  const size = itemBytes(item);
  if (size > DYNAMODB_LIMITS.itemBytes)
    throw new NotStorable(`The resource would take about ${Math.ceil(size / 1024)} KB stored; at most 400 KB fit in one item.`, true);
};

/** The item, once checked (checkItemLimits): for a single Put's `Item`. */
export const withinLimits = <T extends Record<string, unknown>>(item: T): T => {
  checkItemLimits(item);
  return item;
};
