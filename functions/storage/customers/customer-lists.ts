import { getItems, type ItemKey } from '../table/db.ts';
import { allShards, idOfSortKey, indexPartitions, keys, LIST_SHARDS, nameSortKey } from '../table/keys.ts';
import { CUSTOMER_ENTITY, fromItem, type CustomerRecord } from './customer-items.ts';
import { customerCountKeys, sumCounts } from './counters.ts';
import { instantKey } from '../due/due-index.ts';
import { decodeCursor, encodeCursor } from '../table/list-cursor.ts';
import { compareKeys, readSharded, withinCondition, type ShardedQuery, type ShardPositions } from '../table/sharded-query.ts';
import { INDEXES, NAME_INDEX_ATTRIBUTES } from '../table/table-schema.ts';
import { isKeyPart } from '../table/limits.ts';
import { matchesFilters } from '../../domain/list-filters.ts';

/**
 * The customer lists, as named access patterns: handlers ask for `customerLists.byOwner(…)` and
 * never see an index, a key or a shard. Every list reads a bounded page — its page size plus at
 * most a small page per shard — whatever the tenant holds, and hands back an opaque cursor.
 */

export interface PageRequest {
  limit: number;
  /** A cursor this same list handed out. */
  cursor?: string;
}

export interface CustomerListPage {
  items: CustomerRecord[];
  /** Where the next page starts; absent on the last page. */
  next?: string;
}

/** Narrowing a list further, on attributes no index of that list orders by: applied to the page's items. */
export interface CustomerFilters {
  tag?: string;
  crmStatus?: string;
}

/** Rounds of one page each that a post-filtered list reads before it answers with what it has and a cursor. */
export const FILTER_ROUNDS = 3;

type CustomerIndex = 'byName' | 'byOwner' | 'byStatus' | 'byNextAction';

const definition = (name: CustomerIndex) => INDEXES.find((index) => index.name === name)!;

const shardedQuery = (
  tenantId: string,
  name: CustomerIndex,
  partitionOf: (shard: number) => string,
  condition: Pick<ShardedQuery, 'sortPrefix' | 'sortBefore' | 'filter'> = {},
): ShardedQuery => {
  const index = definition(name);
  return {
    index: index.name,
    partitionKey: index.partitionKey,
    sortKey: index.sortKey,
    partitions: allShards().map(partitionOf),
    tableKeyOf: (sortKey) => keys.customer(tenantId, idOfSortKey(sortKey)),
    ...condition,
  };
};

/** The list's identity in its cursors: the list, the tenant and every parameter that shapes it. */
const listId = (...parts: (string | undefined)[]): string => JSON.stringify(parts);

const positionsOf = (query: ShardedQuery, list: string, cursor: string | undefined): ShardPositions | undefined =>
  cursor === undefined ? undefined : decodeCursor(cursor, list, LIST_SHARDS, (sortKey) => withinCondition(query, sortKey));

/** The table key of an index entry: every index projects the table's keys. */
const itemKeyOf = (entry: Record<string, unknown>): ItemKey => ({ pk: String(entry.pk), sk: String(entry.sk) });

/** A read item that is a live customer (an index entry may outlive its customer's delete for the moment the index takes). */
const live = (item: Record<string, unknown> | undefined): CustomerRecord[] => (item?.entity === CUSTOMER_ENTITY ? [fromItem(item)] : []);

/** The customers of index entries, in the entries' order (an entry whose customer is gone or deleted meanwhile is left out). */
const customersOf = async (entries: Record<string, unknown>[]): Promise<CustomerRecord[]> =>
  (await getItems(entries.map(itemKeyOf), { consistent: false })).flatMap(live);

const matches = (record: CustomerRecord, filters: CustomerFilters): boolean =>
  (filters.tag === undefined || ((record.tags as string[] | undefined) ?? []).includes(filters.tag)) &&
  (filters.crmStatus === undefined || (record.crmStatus ?? 'LEAD') === filters.crmStatus);

/**
 * One page of a customer list: the merged shards' next `limit` entries, their items in one
 * BatchGetItem. With filters, up to FILTER_ROUNDS such rounds (each reading only what is still
 * missing), so a page may hold fewer than `limit` customers and still have a cursor.
 */
const customerPage = async (query: ShardedQuery, list: string, page: PageRequest, filters: CustomerFilters = {}): Promise<CustomerListPage> => {
  let from = positionsOf(query, list, page.cursor);
  const items: CustomerRecord[] = [];
  const filtered = filters.tag !== undefined || filters.crmStatus !== undefined;
  for (let round = 0; round < (filtered ? FILTER_ROUNDS : 1); round++) {
    const read = await readSharded(query, { limit: page.limit - items.length, from });
    items.push(...(await customersOf(read.entries)).filter((record) => matches(record, filters)));
    from = read.next;
    if (!from || items.length >= page.limit) break;
  }
  return { items, next: from ? encodeCursor(list, from) : undefined };
};

/** A name prefix as the name-ordered indexes store names (lower-cased, before the '#<id>'). */
const namePrefix = (prefix: string | undefined): string | undefined => prefix?.toLowerCase();

export const customerLists = {
  /** The tenant's customers by name; `prefix` narrows to names starting with it (any case). */
  all: (tenantId: string, options: { prefix?: string } & CustomerFilters, page: PageRequest) => {
    const query = shardedQuery(tenantId, 'byName', (shard) => indexPartitions.byName(tenantId, shard), { sortPrefix: namePrefix(options.prefix) });
    return customerPage(query, listId('all', tenantId, options.prefix), page, options);
  },
  /** An owner's customers by name. */
  byOwner: (tenantId: string, ownerId: string, options: { prefix?: string } & CustomerFilters, page: PageRequest) => {
    const query = shardedQuery(tenantId, 'byOwner', (shard) => indexPartitions.byOwner(tenantId, ownerId, shard), { sortPrefix: namePrefix(options.prefix) });
    return customerPage(query, listId('owner', tenantId, ownerId, options.prefix), page, options);
  },
  /** The customers at one CRM status, by name. */
  byStatus: (tenantId: string, status: string, options: { prefix?: string } & CustomerFilters, page: PageRequest) => {
    const query = shardedQuery(tenantId, 'byStatus', (shard) => indexPartitions.byStatus(tenantId, status, shard), { sortPrefix: namePrefix(options.prefix) });
    return customerPage(query, listId('status', tenantId, status, options.prefix), page, options);
  },
  /**
   * Customers whose next action is flagged overdue, earliest due first. A next action enters this
   * list when it is flagged — by the write that set a date already past, or by the due sweep when
   * the date passes — with its CustomerNextActionOverdue event, so list and event agree; `sortBefore` keeps out entries
   * of a table not yet backfilled to this layout, where every next action had one.
   */
  overdue: (tenantId: string, now: string, page: PageRequest) => {
    const query = shardedQuery(tenantId, 'byNextAction', (shard) => indexPartitions.byNextAction(tenantId, shard), { sortBefore: instantKey(now) });
    return customerPage(query, listId('overdue', tenantId), page);
  },
};

// --- TMF629's list: offset paging, attribute filters and exact counts -----------------------------

/** The deepest `offset` served: skipping reads index keys, never items, and stops here. */
export const MAX_OFFSET = 2_000;
/** At most this many ids in an `id` filter (one BatchGetItem of 100 keys). */
export const MAX_IDS = 100;
/** Query requests a filtered TMF page may send before it answers with what it found and a cursor. */
export const FILTERED_REQUESTS = LIST_SHARDS * 4;

/** TMF attributes the name index carries, so filters on them run inside the index. */
export const INDEXED_FILTERS: readonly string[] = ['id', ...NAME_INDEX_ATTRIBUTES];

export interface TmfListRequest {
  /** Equality filters (a value list means any of them), on `id` or an attribute in NAME_INDEX_ATTRIBUTES. */
  filters: Record<string, string[]>;
  offset: number;
  limit: number;
  cursor?: string;
  /**
   * The attributes the caller will show (from `fields`); when the name index carries all of them,
   * the page is answered from the index entries and no customer item is read.
   */
  attributes?: readonly string[];
}

/** A listed customer: a whole record, or the attributes the name index carries when those were all that was asked for. */
export type ListedCustomer = Pick<CustomerRecord, 'id'> & Record<string, unknown>;

export interface TmfListPage {
  items: ListedCustomer[];
  next?: string;
  /** The number of customers matching the filters, when it is known exactly without walking them. */
  total?: number;
}

const byNameOrder = (a: CustomerRecord, b: CustomerRecord): number => compareKeys(nameSortKey(a.name, a.id), nameSortKey(b.name, b.id));

const tmfFilter = (filters: Record<string, string[]>): ShardedQuery['filter'] => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const clauses = Object.entries(filters).map(([attribute, options], i) => {
    names[`#f${i}`] = attribute;
    const alternatives = options.map((option, j) => {
      values[`:f${i}_${j}`] = option;
      return `#f${i} = :f${i}_${j}`;
    });
    return `(${alternatives.join(' OR ')})`;
  });
  return clauses.length === 0 ? undefined : { expression: clauses.join(' AND '), names, values };
};

/**
 * TMF629's list, in name order. `id` filters read the named customers directly; everything else
 * reads the name index: one name is a key prefix of it, and every filter runs on the attributes
 * it carries, within FILTERED_REQUESTS Queries per page. `offset` skips index keys (at most
 * MAX_OFFSET). The total is exact for no filter (the sharded count), one name (its count) and ids.
 */
export const listTmfCustomers = async (tenantId: string, request: TmfListRequest): Promise<TmfListPage> => {
  const { id: ids, ...filters } = request.filters;
  if (ids) {
    const found = (
      await getItems(
        // An id that cannot be a key part (too long, '#', control characters) names no customer: it is not asked for.
        [...new Set(ids)].filter(isKeyPart).map((id) => keys.customer(tenantId, id)),
        { consistent: false },
      )
    )
      .flatMap(live)
      .filter((record) => matchesFilters(record, filters))
      .sort(byNameOrder);
    return { items: found.slice(request.offset, request.offset + request.limit), total: found.length };
  }
  const singleName = filters.name?.length === 1 ? filters.name[0] : undefined;
  const query = shardedQuery(tenantId, 'byName', (shard) => indexPartitions.byName(tenantId, shard), {
    sortPrefix: singleName === undefined ? undefined : `${singleName.toLowerCase()}#`,
    filter: tmfFilter(filters),
  });
  const list = listId('tmf', tenantId, JSON.stringify(filters));
  const filtered = Object.keys(filters).length > 0;
  const read = await readSharded(query, {
    skip: request.offset,
    limit: request.limit,
    from: positionsOf(query, list, request.cursor),
    ...(filtered ? { maxRequests: FILTERED_REQUESTS } : {}),
  });
  // The counters join the page's BatchGetItem: one request for both.
  const counters = !filtered
    ? customerCountKeys(tenantId)
    : singleName !== undefined && Object.keys(filters).length === 1
      ? [keys.nameCount(tenantId, singleName)]
      : [];
  const fromIndex = request.attributes?.every((name) => INDEXED_FILTERS.includes(name)) === true;
  const pageKeys = fromIndex ? [] : read.entries.map(itemKeyOf);
  const found = pageKeys.length + counters.length > 0 ? await getItems([...pageKeys, ...counters], { consistent: false }) : [];
  const total = counters.length > 0 ? sumCounts(found.slice(pageKeys.length)) : undefined;
  const items: ListedCustomer[] = fromIndex
    ? read.entries.map((entry) => ({
        id: idOfSortKey(String(entry[query.sortKey])),
        ...Object.fromEntries(NAME_INDEX_ATTRIBUTES.filter((name) => entry[name] !== undefined).map((name) => [name, entry[name]])),
      }))
    : found.slice(0, pageKeys.length).flatMap(live);
  return { items, next: read.next ? encodeCursor(list, read.next) : undefined, total };
};
