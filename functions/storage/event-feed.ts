import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, getItems, tableName, type ItemKey } from './table/db.ts';
import { allShards, indexPartitions } from './table/keys.ts';
import { InvalidCursor } from './table/list-cursor.ts';
import { compareKeys } from './table/sharded-query.ts';
import { TIME_ORDERED_POSITION, timePrefix } from '../domain/ids.ts';
import { EVENT_ENTITY } from './table/table-schema.ts';
import type { EventEnvelope } from '../domain/event-envelope.ts';

/**
 * The tenant's event feed: every event item carries a feed position (`feedSk`, a time-ordered id
 * made as the item is written) in one of the tenant's feed shards (`feedPk`, by the event's
 * subject), so the feed is read by merging the shards in position order and no one partition
 * takes all of a tenant's writes. An item becomes visible in the index a moment after its
 * transaction; the feed hands out only positions older than the settle time, so a reader that has
 * passed a position never finds an event appear behind it.
 */

/** An event as the feed and the webhooks hand it out: the envelope and its source. */
export type FeedEvent = EventEnvelope & { source: string };

/** How long the feed waits for writes to settle: an event is handed out once its position is this old (FEED_SETTLE_SECONDS; 10 s). */
export const feedSettleMs = (): number => Number(process.env.FEED_SETTLE_SECONDS ?? 10) * 1000;

export const MAX_FEED_PAGE = 100;
export const MAX_FEED_TYPES = 20;

export interface FeedRead {
  /** The position to read after (a `next` this feed gave out); from the oldest event without one. */
  after?: string;
  limit: number;
  /** Only events of these types (detail-types); every type without. */
  types?: readonly string[];
  now?: number;
}

export interface FeedPage {
  events: FeedEvent[];
  /** Where to read on from: always given, to be kept by the consumer and passed as `after`. */
  next: string;
  /** More events are there now: read again at once. Otherwise the consumer is at the head and polls. */
  more: boolean;
}

/** Is this a position the feed can read after? (a position it gave out, or any time-ordered id) */
export const isFeedPosition = (value: string): boolean => TIME_ORDERED_POSITION.test(value);

/**
 * A page of the tenant's feed after `after`: one Query per shard (at most `limit` + 1 index
 * entries each, keys and type only) and one BatchGetItem of the page's events, whatever the
 * tenant holds. With a type filter a page can be short; `next` then still moves past everything read.
 */
export const readFeed = async (tenantId: string, read: FeedRead): Promise<FeedPage> => {
  if (read.after !== undefined && !isFeedPosition(read.after)) throw new InvalidCursor('after is not a position this feed gave out');
  const horizon = timePrefix((read.now ?? Date.now()) - feedSettleMs());
  if (read.after !== undefined && compareKeys(read.after, horizon) >= 0) return { events: [], next: read.after, more: false };
  const types = read.types ?? [];
  const shards = await Promise.all(
    allShards().map(async (shard) => {
      const page = await db.send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'byFeed',
          KeyConditionExpression: read.after === undefined ? 'feedPk = :pk AND feedSk < :horizon' : 'feedPk = :pk AND feedSk BETWEEN :after AND :horizon',
          ...(types.length > 0 ? { FilterExpression: `detailType IN (${types.map((_, i) => `:t${i}`).join(', ')})` } : {}),
          ExpressionAttributeValues: {
            ':pk': indexPartitions.byFeed(tenantId, shard),
            ':horizon': horizon,
            ...(read.after === undefined ? {} : { ':after': read.after }),
            ...Object.fromEntries(types.map((type, i) => [`:t${i}`, type])),
          },
          Limit: read.limit + 1,
        }),
      );
      return { entries: page.Items ?? [], readUpTo: page.LastEvaluatedKey ? String(page.LastEvaluatedKey.feedSk) : undefined };
    }),
  );
  // A shard that has more is known only up to where its page stopped: the page may not pass the lowest such point.
  const bound = shards
    .map((s) => s.readUpTo)
    .filter((p): p is string => p !== undefined)
    .sort(compareKeys)[0];
  const seen = new Set<string>();
  const entries = shards
    .flatMap((s) => s.entries)
    .filter((entry) => {
      const position = String(entry.feedSk);
      // BETWEEN includes `after` itself; an item being moved (a merge) is briefly in the index twice.
      if (position === read.after || seen.has(position)) return false;
      seen.add(position);
      return bound === undefined || compareKeys(position, bound) <= 0;
    })
    .sort((a, b) => compareKeys(String(a.feedSk), String(b.feedSk)));
  const page = entries.slice(0, read.limit);
  const full = page.length === read.limit;
  const next = full ? String(page.at(-1)!.feedSk) : (bound ?? horizon);
  const items = await getItems(
    page.map((entry) => ({ pk: String(entry.pk), sk: String(entry.sk) }) as ItemKey),
    { consistent: false },
  );
  return {
    // An event erased between the Query and the read is gone: it is not handed out.
    events: items.filter((item): item is Record<string, unknown> => item !== undefined).map(feedEventOf),
    next,
    more: (full && entries.length > read.limit) || bound !== undefined,
  };
};

/** The event an event item holds, as consumers receive it. */
export const feedEventOf = (item: Record<string, unknown>): FeedEvent => ({ source: String(item.source), ...(item.detail as EventEnvelope) });

/** Where a stored event item is: opaque outside storage (a delivery carries it to read the event again). */
export interface StoredEventRef {
  pk: string;
  sk: string;
}

/** The stored event of a table stream record's keys. */
export const storedEventRefOf = (keys: Record<string, unknown>): StoredEventRef => ({ pk: String(keys.pk), sk: String(keys.sk) });

/** A stored event as it stands now, or undefined once it is gone (erased, purged, or moved by a merge). */
export const getStoredEvent = async (ref: StoredEventRef): Promise<FeedEvent | undefined> => {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: { pk: ref.pk, sk: ref.sk } }));
  return Item?.entity === EVENT_ENTITY ? feedEventOf(Item) : undefined;
};

/** Stored event items as they stand now (one BatchGetItem a hundred), in the order asked; undefined for one gone. */
export const getStoredEventItems = async (refs: StoredEventRef[]): Promise<(Record<string, unknown> | undefined)[]> =>
  (await getItems(refs.map(({ pk, sk }) => ({ pk, sk })))).map((item) => (item?.entity === EVENT_ENTITY ? item : undefined));

/** Is a table stream record a newly written event item (what the publisher and the webhook dispatcher carry on)? The stream filter's condition, checked again. */
export const isStoredEventInsert = (record: { eventName?: string; dynamodb?: { NewImage?: Record<string, { S?: string }> } }): boolean =>
  record.eventName === 'INSERT' && record.dynamodb?.NewImage?.entity?.S === EVENT_ENTITY;
