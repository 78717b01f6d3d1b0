import { getItems, type ItemKey } from '../table/db.ts';
import { allShards, idOfSortKey, indexPartitions, keys, LIST_SHARDS, nameSortKey, TEAM_SHARDS } from '../table/keys.ts';
import { LimitReached } from '../table/errors.ts';
import { ACCESS_LIMITS } from '../../domain/access.ts';
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
  /** Only this owner's customers (a list by owner, read from a caller's visible customers). */
  ownerId?: string;
}

/**
 * What a caller reaches of a tenant's customers when it is less than all of them (issue 25): the
 * customers of these teams, those they own, and those shared with these grantees. A list of it
 * merges those partitions in name order (each customer once): its cost grows with the caller's
 * teams (at most ACCESS_LIMITS.listedTeams), never with the tenant.
 */
export interface Visibility {
  teams: readonly string[];
  owner?: string;
  grantees: readonly string[];
}

/** Rounds of one page each that a post-filtered list reads before it answers with what it has and a cursor. */
export const FILTER_ROUNDS = 3;

type CustomerIndex = 'byName' | 'byOwner' | 'byStatus' | 'byNextAction' | 'byTeam';

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
  cursor === undefined ? undefined : decodeCursor(cursor, list, query.partitions.length, (sortKey) => withinCondition(query, sortKey));

/** The table key of an index entry: every index projects the table's keys. */
const itemKeyOf = (entry: Record<string, unknown>): ItemKey => ({ pk: String(entry.pk), sk: String(entry.sk) });

/** A read item that is a live customer (an index entry may outlive its customer's delete for the moment the index takes). */
const live = (item: Record<string, unknown> | undefined): CustomerRecord[] => (item?.entity === CUSTOMER_ENTITY ? [fromItem(item)] : []);

/**
 * The customers of index entries, in the entries' order (an entry whose customer is gone or deleted
 * meanwhile is left out); `keyOf` when an entry is not the customer's own (a share's pointer).
 */
const customersOf = async (entries: Record<string, unknown>[], keyOf: (entry: Record<string, unknown>) => ItemKey = itemKeyOf): Promise<CustomerRecord[]> =>
  (await getItems(entries.map(keyOf), { consistent: false })).flatMap(live);

const matches = (record: CustomerRecord, filters: CustomerFilters): boolean =>
  (filters.tag === undefined || ((record.tags as string[] | undefined) ?? []).includes(filters.tag)) &&
  (filters.crmStatus === undefined || (record.crmStatus ?? 'LEAD') === filters.crmStatus) &&
  (filters.ownerId === undefined || record.ownerId === filters.ownerId);

/**
 * One page of a customer list: the merged shards' next `limit` entries, their items in one
 * BatchGetItem. With filters, up to FILTER_ROUNDS such rounds (each reading only what is still
 * missing), so a page may hold fewer than `limit` customers and still have a cursor.
 */
const customerPage = async (
  query: ShardedQuery,
  list: string,
  page: PageRequest,
  filters: CustomerFilters = {},
  keyOf?: (entry: Record<string, unknown>) => ItemKey,
): Promise<CustomerListPage> => {
  let from = positionsOf(query, list, page.cursor);
  const items: CustomerRecord[] = [];
  const filtered = filters.tag !== undefined || filters.crmStatus !== undefined || filters.ownerId !== undefined;
  for (let round = 0; round < (filtered ? FILTER_ROUNDS : 1); round++) {
    const read = await readSharded(query, { limit: page.limit - items.length, from });
    items.push(...(await customersOf(read.entries, keyOf)).filter((record) => matches(record, filters)));
    from = read.next;
    if (!from || items.length >= page.limit) break;
  }
  return { items, next: from ? encodeCursor(list, from) : undefined };
};

/** A name prefix as the name-ordered indexes store names (lower-cased, before the '#<id>'). */
const namePrefix = (prefix: string | undefined): string | undefined => prefix?.toLowerCase();

/** The query of a caller's visible customers: their teams' shards, their own customers' shards, their grantees' shared lists. */
const visibleQuery = (tenantId: string, visibility: Visibility, sortPrefix: string | undefined): ShardedQuery => {
  if (visibility.teams.length > ACCESS_LIMITS.listedTeams)
    throw new LimitReached(
      `Your roles reach the customers of ${visibility.teams.length} teams; a list merges at most ${ACCESS_LIMITS.listedTeams} (ask an admin for a role that reaches the tenant, or fewer teams).`,
    );
  const team = definition('byTeam');
  const owner = definition('byOwner');
  return {
    index: team.name,
    partitionKey: team.partitionKey,
    sortKey: team.sortKey,
    partitions: [
      ...visibility.teams.flatMap((teamId) => allShards(TEAM_SHARDS).map((shard) => indexPartitions.byTeam(tenantId, teamId, shard))),
      ...(visibility.owner === undefined
        ? []
        : allShards().map((shard) => ({
            index: owner.name,
            partitionKey: owner.partitionKey,
            value: indexPartitions.byOwner(tenantId, visibility.owner!, shard),
          }))),
      ...visibility.grantees.map((grantee) => ({
        index: team.name,
        partitionKey: team.partitionKey,
        value: keys.sharedWith(tenantId, grantee),
        tableKeyOf: (sortKey: string) => ({ pk: keys.customer(tenantId, idOfSortKey(sortKey)).pk, sk: `SHARE#${grantee}` }),
      })),
    ],
    tableKeyOf: (sortKey) => keys.customer(tenantId, idOfSortKey(sortKey)),
    sortPrefix,
  };
};

/** The customer an entry of any customer list names (its own entry, or a share's pointer). */
const customerKeyOf =
  (tenantId: string) =>
  (entry: Record<string, unknown>): ItemKey =>
    keys.customer(tenantId, idOfSortKey(String(entry.nameSk)));

/** Into how many parts the tenant's customers split for a reader that walks them all (an export): each part read on its own, in parallel. */
export const CUSTOMER_PARTS = LIST_SHARDS;

/** The tenant's customer count, as its counters hold it (one BatchGetItem). */
export const tenantCustomerCount = async (tenantId: string): Promise<number> => sumCounts(await getItems(customerCountKeys(tenantId), { consistent: true }));

export const customerLists = {
  /**
   * One part (0 … CUSTOMER_PARTS - 1) of the tenant's customers, by name within it: the parts
   * together hold every customer once. For a job that walks the tenant (an export) a page at a time.
   */
  part: (tenantId: string, part: number, page: PageRequest) => {
    const query: ShardedQuery = {
      ...shardedQuery(tenantId, 'byName', (shard) => indexPartitions.byName(tenantId, shard)),
      partitions: [indexPartitions.byName(tenantId, part)],
    };
    return customerPage(query, listId('part', tenantId, String(part)), page);
  },
  /**
   * The customers a caller whose reach is less than the tenant may see (Visibility), by name;
   * `prefix` and the filters narrow it as they do the other lists.
   */
  visible: (tenantId: string, visibility: Visibility, options: { prefix?: string } & CustomerFilters, page: PageRequest) => {
    const query = visibleQuery(tenantId, visibility, namePrefix(options.prefix));
    const list = listId('visible', tenantId, JSON.stringify(visibility), options.prefix);
    return customerPage(query, list, page, options, customerKeyOf(tenantId));
  },
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

/** The live customers an `id` filter names that `keep` keeps, in name order (one BatchGetItem of at most MAX_IDS keys). */
const customersNamed = async (tenantId: string, ids: string[], keep: (record: CustomerRecord) => boolean): Promise<CustomerRecord[]> =>
  (
    await getItems(
      // An id that cannot be a key part (too long, '#', control characters) names no customer: it is not asked for.
      [...new Set(ids)].filter(isKeyPart).map((id) => keys.customer(tenantId, id)),
      { consistent: false },
    )
  )
    .flatMap(live)
    .filter(keep)
    .sort(byNameOrder);

/**
 * TMF629's list, in name order. `id` filters read the named customers directly; everything else
 * reads the name index: one name is a key prefix of it, and every filter runs on the attributes
 * it carries, within FILTERED_REQUESTS Queries per page. `offset` skips index keys (at most
 * MAX_OFFSET). The total is exact for no filter (the sharded count), one name (its count) and ids.
 */
export const listTmfCustomers = async (tenantId: string, request: TmfListRequest): Promise<TmfListPage> => {
  const { id: ids, ...filters } = request.filters;
  if (ids) {
    const found = await customersNamed(tenantId, ids, (record) => matchesFilters(record, filters));
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

/**
 * TMF629's list for a caller whose roles reach less than the tenant: the customers of their
 * Visibility (`visible` decides each one again: an index entry may trail a change of owner or
 * team), in name order, the filters applied to the customers read — up to FILTER_ROUNDS rounds of
 * one page each, so a page may hold fewer than `limit` and still have a cursor. `offset` counts
 * the customers the caller may see that match. No total: a count would say more than they may see.
 */
export const listVisibleTmfCustomers = async (
  tenantId: string,
  visibility: Visibility,
  request: TmfListRequest,
  visible: (record: CustomerRecord) => boolean,
): Promise<TmfListPage> => {
  const { id: ids, ...filters } = request.filters;
  if (ids) {
    const found = await customersNamed(tenantId, ids, (record) => visible(record) && matchesFilters(record, filters));
    return { items: found.slice(request.offset, request.offset + request.limit) };
  }
  const singleName = filters.name?.length === 1 ? filters.name[0] : undefined;
  const query = visibleQuery(tenantId, visibility, singleName === undefined ? undefined : `${singleName.toLowerCase()}#`);
  const list = listId('tmf-visible', tenantId, JSON.stringify(visibility), JSON.stringify(filters));
  const wanted = request.offset + request.limit;
  const matched: CustomerRecord[] = [];
  let from = positionsOf(query, list, request.cursor);
  for (let round = 0; round < FILTER_ROUNDS; round++) {
    const read = await readSharded(query, { limit: wanted - matched.length, from });
    matched.push(...(await customersOf(read.entries, customerKeyOf(tenantId))).filter((record) => visible(record) && matchesFilters(record, filters)));
    from = read.next;
    if (!from || matched.length >= wanted) break;
  }
  return { items: matched.slice(request.offset, wanted), next: from ? encodeCursor(list, from) : undefined };
};
