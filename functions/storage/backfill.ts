import { DeleteCommand, GetCommand, ScanCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { COUNTED, customerIndexKeys, CUSTOMER_ENTITY, fromItem } from './customer-items.ts';
import { feedPartitionOf, keys, shardOf } from './keys.ts';
import { EVENT_ENTITY, LEGACY_INDEXES } from './table-schema.ts';
import { MOVED_EVENT_ENTITY } from './customer-merge.ts';
import { DUE_SHARDS, duePartition } from './due-index.ts';
import { addToCounters, COUNT_ENTITY } from './counters.ts';
import { CASE_STATISTICS_ENTITY } from './case-statistics.ts';

/**
 * Moves a table's items from the legacy index layout to the current one (README: "Moving a
 * deployed table to the current index layout"). An operator's command, never a request path: it
 * Scans the table (in parallel segments) and, item by item, each in its own conditional write:
 *
 * - a customer not yet counted gains its current index keys and `counted`, and its counts (the
 *   tenant's shard and its name) in the same transaction, conditional on its version — a writer
 *   racing it makes it re-read and try again, so no customer is counted twice or missed;
 * - an item in the legacy due index (activities, incidents) moves to the current one;
 * - a TMF hub subscription moves to its tenant's subscription partition;
 * - the legacy single case-statistics item is added into shard 0 of the sharded counters;
 * - an event item written before the event feed gains its feed keys (its position: its own
 *   time-ordered id, so it takes its place among the older events);
 * - legacy index keys are removed.
 *
 * Running it again finds nothing left to do. Items written by the current code need nothing.
 */
export interface BackfillReport {
  scanned: number;
  customersCounted: number;
  dueEntriesMoved: number;
  subscriptionsMoved: number;
  statisticsMoved: number;
  eventsAddedToFeed: number;
  legacyKeysRemoved: number;
  retries: number;
}

const LEGACY_KEYS = [...new Set(LEGACY_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey]))];

const conditionFailed = (error: unknown): boolean =>
  (error as Error).name === 'ConditionalCheckFailedException' ||
  ((error as Error).name === 'TransactionCanceledException' && /ConditionalCheckFailed|TransactionConflict/.test((error as Error).message));

export const backfill = async (db: DynamoDBDocumentClient, table: string, options: { tenantId?: string; segments?: number } = {}): Promise<BackfillReport> => {
  const report: BackfillReport = {
    scanned: 0,
    customersCounted: 0,
    dueEntriesMoved: 0,
    subscriptionsMoved: 0,
    statisticsMoved: 0,
    eventsAddedToFeed: 0,
    legacyKeysRemoved: 0,
    retries: 0,
  };
  const read = async (pk: unknown, sk: unknown): Promise<Record<string, unknown> | undefined> =>
    (await db.send(new GetCommand({ TableName: table, Key: { pk, sk }, ConsistentRead: true }))).Item;

  const migrateCustomer = async (item: Record<string, unknown>): Promise<void> => {
    for (let current: Record<string, unknown> | undefined = item; current; ) {
      const record = fromItem(current);
      const legacy = LEGACY_KEYS.filter((name) => current![name] !== undefined);
      if (current[COUNTED] === true && legacy.length === 0) return;
      const indexKeys = customerIndexKeys(record);
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = { ':version': current.version };
      const sets = Object.entries(indexKeys).map(([name, value], i) => {
        names[`#k${i}`] = name;
        values[`:k${i}`] = value;
        return `#k${i} = :k${i}`;
      });
      names['#counted'] = COUNTED;
      values[':true'] = true;
      sets.push('#counted = :true');
      const removes = legacy.map((name, i) => {
        names[`#l${i}`] = name;
        return `#l${i}`;
      });
      const update = {
        TableName: table,
        Key: { pk: current.pk, sk: current.sk },
        UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: 'version = :version',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      };
      try {
        if (current[COUNTED] === true) {
          await db.send(new UpdateCommand(update));
        } else {
          const counts = [keys.customerCount(record.tenantId, shardOf(record.id)), keys.nameCount(record.tenantId, record.name)];
          await db.send(
            new TransactWriteCommand({ TransactItems: [{ Update: update }, ...counts.map((key) => addToCounters(key, { n: 1 }, COUNT_ENTITY, { table }))] }),
          );
          report.customersCounted++;
        }
        if (legacy.length > 0) report.legacyKeysRemoved++;
        return;
      } catch (error) {
        if (!conditionFailed(error)) throw error;
        report.retries++;
        current = await read(current.pk, current.sk);
      }
    }
  };

  const moveDueEntry = async (item: Record<string, unknown>): Promise<void> => {
    try {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET duePk = :duePk, dueSk = :sk REMOVE gsi6pk, gsi6sk',
          ConditionExpression: 'gsi6pk = :pk AND gsi6sk = :sk',
          // Same sort key; the shard recomputed for the current number of due shards.
          ExpressionAttributeValues: { ':pk': item.gsi6pk, ':sk': item.gsi6sk, ':duePk': duePartition(shardOf(String(item.pk), DUE_SHARDS)) },
        }),
      );
      report.dueEntriesMoved++;
    } catch (error) {
      if (!conditionFailed(error)) throw error; // changed meanwhile: the current code wrote its own due keys
    }
  };

  const moveSubscription = async (item: Record<string, unknown>): Promise<void> => {
    const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _h, ...subscription } = item;
    const key = keys.subscription(String(item.tenantId), String(item.id));
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { ...subscription, ...key }, ConditionExpression: 'attribute_not_exists(pk)' } },
            { Delete: { TableName: table, Key: { pk: item.pk, sk: item.sk }, ConditionExpression: 'attribute_exists(pk)' } },
          ],
        }),
      );
      report.subscriptionsMoved++;
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      await db.send(new DeleteCommand({ TableName: table, Key: { pk: item.pk, sk: item.sk } })); // already moved
    }
  };

  const moveStatistics = async (item: Record<string, unknown>): Promise<void> => {
    const tenantId = String(item.pk).slice(2, -'#CASESTATS'.length);
    const counters = Object.fromEntries(Object.entries(item).filter(([, value]) => typeof value === 'number')) as Record<string, number>;
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          ...(Object.keys(counters).length > 0 ? [addToCounters(keys.caseStatistics(tenantId, 0), counters, CASE_STATISTICS_ENTITY, { table })] : []),
          { Delete: { TableName: table, Key: { pk: item.pk, sk: item.sk }, ConditionExpression: 'attribute_exists(pk)' } },
        ],
      }),
    );
    report.statisticsMoved++;
  };

  const addToFeed = async (item: Record<string, unknown>): Promise<void> => {
    const detail = item.detail as { tenantId: string; subject: { id: string }; eventId: string };
    try {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET feedPk = :pk, feedSk = :sk',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(feedPk)',
          ExpressionAttributeValues: { ':pk': feedPartitionOf(detail), ':sk': detail.eventId },
        }),
      );
      report.eventsAddedToFeed++;
    } catch (error) {
      if (!conditionFailed(error)) throw error;
    }
  };

  const visit = async (item: Record<string, unknown>): Promise<void> => {
    report.scanned++;
    if (item.entity === CUSTOMER_ENTITY) return migrateCustomer(item);
    if (item.entity === 'SUBSCRIPTION' && item.sk === 'HUB') return moveSubscription(item);
    if (item.entity === 'CASESTATS' && item.sk === 'STATS' && String(item.pk).endsWith('#CASESTATS')) return moveStatistics(item);
    if (item.gsi6pk !== undefined) return moveDueEntry(item);
    if ((item.entity === EVENT_ENTITY || item.entity === MOVED_EVENT_ENTITY) && item.feedPk === undefined) return addToFeed(item);
  };

  const segments = options.segments ?? 4;
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new ScanCommand({
            TableName: table,
            Segment: segment,
            TotalSegments: segments,
            ExclusiveStartKey,
            ConsistentRead: true,
            ...(options.tenantId
              ? { FilterExpression: 'begins_with(pk, :tenant)', ExpressionAttributeValues: { ':tenant': `${keys.tenantPrefix(options.tenantId)}#` } }
              : {}),
          }),
        );
        for (const item of page.Items ?? []) await visit(item);
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }),
  );
  return report;
};
