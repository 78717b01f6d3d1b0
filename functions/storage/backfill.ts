import { DeleteCommand, GetCommand, ScanCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { COUNTED, customerIndexKeys, CUSTOMER_ENTITY, fromItem } from './customers/customer-items.ts';
import { feedPartitionOf, keys, shardOf } from './table/keys.ts';
import { EVENT_ENTITY, LEGACY_INDEXES } from './table/table-schema.ts';
import { MOVED_EVENT_ENTITY } from './customers/customer-merge.ts';
import { DUE_SHARDS, duePartition } from './due/due-index.ts';
import { addToCounters, COUNT_ENTITY } from './customers/counters.ts';
import { CASE_STATISTICS_ENTITY } from './bian/case-statistics.ts';
import { getItems, type ItemKey } from './table/db.ts';
import type { TransactItem } from './table/transactions.ts';
import { matchKeyChanges } from './customers/match-keys.ts';
import { linkedPlanKey, planLinkChanges } from './bian/plan-links.ts';
import { sealSecret, type SecretOwner } from './table/sealed-secrets.ts';
import { WEBHOOK_ENTITY, webhookSecretOwner } from './webhooks/webhooks.ts';
import { hubSecretOwner, SUBSCRIPTION_ENTITY } from './subscriptions.ts';

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
 * - legacy index keys are removed;
 * - a signing secret stored in plain text (a webhook's current or previous one, a hub
 *   registration's, a webhook creation's answer kept for an Idempotency-Key replay) is sealed
 *   (sealed-secrets.ts), conditional on the item still holding that text;
 * - a live customer written before duplicates were found by key gains the match keys it lacks
 *   (match-keys.ts), conditional on its version;
 * - a BIAN plan linked to a customer gains the pointer in the customer's collection it lacks
 *   (plan-links.ts), conditional on the plan still being linked to that customer.
 *
 * Each of these is one conditional write per item, so a run that stops resumes where it is run
 * again (what is done is not done twice); running it again finds nothing left to do. The match
 * keys and pointers of a scanned page are looked for in batched reads. Items written by the
 * current code need nothing.
 */
export interface BackfillReport {
  scanned: number;
  customersCounted: number;
  dueEntriesMoved: number;
  subscriptionsMoved: number;
  statisticsMoved: number;
  eventsAddedToFeed: number;
  legacyKeysRemoved: number;
  /** Items whose plain-text signing secrets were sealed. */
  secretsSealed: number;
  /** Items whose plain-text signing secrets were left as they are: no KMS key to seal them with (`--secrets-key`). */
  secretsLeftPlain: number;
  /** Customers given the match keys they lacked. */
  matchKeysAdded: number;
  /** Linked BIAN plans given the pointer in their customer's collection they lacked. */
  planLinksAdded: number;
  retries: number;
}

/**
 * What a table the backfill ran over holds, as a number: raised with each step it learns, so a
 * table kept by the local runtime (`.rapport/`) is backfilled again once after an upgrade.
 */
export const BACKFILL_VERSION = 2;

/** Where the kernel keeps webhook creations' answers for Idempotency-Key replays (`<family>.<operation>`). */
const WEBHOOK_CREATION = 'webhooks.createWebhook';

/**
 * Transaction items made by storage's own builders (which address TABLE_NAME, as the functions
 * do), addressed to `table`. The builders are synchronous, so nothing else runs meanwhile.
 */
const onTable = <T>(table: string, build: () => T): T => {
  const previous = process.env.TABLE_NAME;
  process.env.TABLE_NAME = table;
  try {
    return build();
  } finally {
    if (previous === undefined) delete process.env.TABLE_NAME;
    else process.env.TABLE_NAME = previous;
  }
};

const keyOf = (item: TransactItem): ItemKey => {
  const { pk, sk } = item.Put!.Item as ItemKey;
  return { pk, sk };
};

const LEGACY_KEYS = [...new Set(LEGACY_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey]))];

const conditionFailed = (error: unknown): boolean =>
  (error as Error).name === 'ConditionalCheckFailedException' ||
  ((error as Error).name === 'TransactionCanceledException' && /ConditionalCheckFailed|TransactionConflict/.test((error as Error).message));

/**
 * `secretsKeyId` is the KMS key plain-text secrets are sealed under (the stack's `SecretsKeyArn`;
 * SECRETS_KEY_ID by default); without one they are counted in `secretsLeftPlain` and left.
 */
export const backfill = async (
  db: DynamoDBDocumentClient,
  table: string,
  options: { tenantId?: string; segments?: number; secretsKeyId?: string } = {},
): Promise<BackfillReport> => {
  const report: BackfillReport = {
    scanned: 0,
    customersCounted: 0,
    dueEntriesMoved: 0,
    subscriptionsMoved: 0,
    statisticsMoved: 0,
    eventsAddedToFeed: 0,
    legacyKeysRemoved: 0,
    secretsSealed: 0,
    secretsLeftPlain: 0,
    matchKeysAdded: 0,
    planLinksAdded: 0,
    retries: 0,
  };
  const secretsKeyId = options.secretsKeyId ?? process.env.SECRETS_KEY_ID;
  const read = async (pk: unknown, sk: unknown): Promise<Record<string, unknown> | undefined> =>
    (await db.send(new GetCommand({ TableName: table, Key: { pk, sk }, ConsistentRead: true }))).Item;
  /** Of these keys, those of items not in the table (batched reads). */
  const absent = async (itemKeys: ItemKey[]): Promise<ItemKey[]> => {
    const found = await getItems(itemKeys, { client: db, table });
    return itemKeys.filter((_, i) => found[i] === undefined);
  };

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
    // A plain-text secret is sealed as it moves.
    const plain = typeof subscription.secret === 'string' ? subscription.secret : undefined;
    if (plain !== undefined && secretsKeyId !== undefined)
      subscription.secret = await sealSecret(plain, hubSecretOwner({ tenantId: String(item.tenantId), id: String(item.id) }), secretsKeyId);
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
      if (plain !== undefined) report[secretsKeyId === undefined ? 'secretsLeftPlain' : 'secretsSealed']++;
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

  /**
   * Seals the plain-text secrets an item holds at these attribute paths, for their record: one
   * update, conditional on each path still holding the text read (a concurrent change makes it
   * read the item again).
   */
  const sealSecrets = async (item: Record<string, unknown>, paths: string[][], owner: SecretOwner): Promise<void> => {
    for (let current: Record<string, unknown> | undefined = item; current; ) {
      const held = current;
      const plain = paths.flatMap((path) => {
        const value = path.reduce<unknown>((at, name) => (typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[name] : undefined), held);
        return typeof value === 'string' ? [{ path, value }] : [];
      });
      if (plain.length === 0) return;
      if (secretsKeyId === undefined) {
        report.secretsLeftPlain++;
        return;
      }
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const sets: string[] = [];
      const unchanged: string[] = [];
      for (const [i, { path, value }] of plain.entries()) {
        const attribute = path
          .map((name, j) => {
            names[`#s${i}p${j}`] = name;
            return `#s${i}p${j}`;
          })
          .join('.');
        values[`:plain${i}`] = value;
        values[`:sealed${i}`] = await sealSecret(value, owner, secretsKeyId);
        sets.push(`${attribute} = :sealed${i}`);
        unchanged.push(`${attribute} = :plain${i}`);
      }
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: { pk: current.pk, sk: current.sk },
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: unchanged.join(' AND '),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        report.secretsSealed++;
        return;
      } catch (error) {
        if (!conditionFailed(error)) throw error;
        report.retries++;
        current = await read(current.pk, current.sk);
      }
    }
  };

  /**
   * Writes what each of `items` lacks of the items `wanted` builds for it (a customer's match keys,
   * a plan's pointer), all looked for in one batched read: per item one transaction, conditional on
   * the item as it was read (`unchanged`); after a concurrent change it reads the item again and
   * decides again.
   */
  const addLacking = async (
    items: Record<string, unknown>[],
    wanted: (item: Record<string, unknown>) => TransactItem[],
    unchanged: (item: Record<string, unknown>) => { ConditionExpression: string; ExpressionAttributeValues: Record<string, unknown> },
    counted: 'matchKeysAdded' | 'planLinksAdded',
  ): Promise<void> => {
    const idOf = ({ pk, sk }: ItemKey) => `${pk}\n${sk}`;
    const puts = items.map((item) => onTable(table, () => wanted(item)));
    const missing = new Set((await absent(puts.flat().map(keyOf))).map(idOf));
    for (const [i, item] of items.entries()) {
      const lacking = puts[i]!.filter((put) => missing.has(idOf(keyOf(put))));
      if (lacking.length === 0) continue;
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [{ ConditionCheck: { TableName: table, Key: { pk: item.pk, sk: item.sk }, ...unchanged(item) } }, ...lacking],
          }),
        );
        report[counted]++;
      } catch (error) {
        if (!conditionFailed(error)) throw error;
        report.retries++;
        const fresh = await read(item.pk, item.sk);
        if (fresh) await addLacking([fresh], wanted, unchanged, counted);
      }
    }
  };

  /** A live customer's match keys (match-keys.ts), as its create writes them. */
  const matchKeysOf = (item: Record<string, unknown>): TransactItem[] => (item.entity === CUSTOMER_ENTITY ? matchKeyChanges(undefined, fromItem(item)) : []);
  const sameCustomer = (item: Record<string, unknown>) => ({
    ConditionExpression: 'entity = :customer AND version = :version',
    ExpressionAttributeValues: { ':customer': CUSTOMER_ENTITY, ':version': item.version },
  });

  /** A BIAN plan's item linked to a customer (plan-links.ts). */
  const isLinkedPlan = (item: Record<string, unknown>): boolean => {
    if (item.sk !== 'PLAN' || typeof item.customerId !== 'string') return false;
    const key = linkedPlanKey(String(item.tenantId), String(item.id));
    return key.pk === item.pk && key.sk === item.sk;
  };
  /** The pointer to a linked plan in its customer's collection, as the link's write puts it. */
  const pointerOf = (item: Record<string, unknown>): TransactItem[] =>
    isLinkedPlan(item) ? planLinkChanges(String(item.tenantId), String(item.id), undefined, String(item.customerId)) : [];
  const sameLink = (item: Record<string, unknown>) => ({
    ConditionExpression: 'customerId = :customer',
    ExpressionAttributeValues: { ':customer': item.customerId },
  });

  const visit = async (item: Record<string, unknown>): Promise<void> => {
    report.scanned++;
    if (item.entity === CUSTOMER_ENTITY) return migrateCustomer(item);
    if (item.entity === SUBSCRIPTION_ENTITY && item.sk === 'HUB') return moveSubscription(item);
    if (item.entity === 'CASESTATS' && item.sk === 'STATS' && String(item.pk).endsWith('#CASESTATS')) return moveStatistics(item);
    if (item.gsi6pk !== undefined) return moveDueEntry(item);
    if ((item.entity === EVENT_ENTITY || item.entity === MOVED_EVENT_ENTITY) && item.feedPk === undefined) return addToFeed(item);
    if (item.entity === WEBHOOK_ENTITY)
      return sealSecrets(item, [['secret'], ['previousSecret']], webhookSecretOwner({ tenantId: String(item.tenantId), id: String(item.id) }));
    if (item.entity === SUBSCRIPTION_ENTITY) return sealSecrets(item, [['secret']], hubSecretOwner({ tenantId: String(item.tenantId), id: String(item.id) }));
    const creation = `#IDEMPOTENCY#${WEBHOOK_CREATION}#`;
    if (item.entity === 'IDEMPOTENCY' && String(item.pk).includes(creation)) {
      const tenantId = String(item.pk).slice(2, String(item.pk).indexOf(creation));
      const answered = (item.response as { body?: { id?: unknown } } | undefined)?.body;
      return sealSecrets(item, [['response', 'body', 'secret']], { tenantId, record: 'webhook-replay', id: String(answered?.id) });
    }
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
        const items = page.Items ?? [];
        for (const item of items) await visit(item);
        await addLacking(
          items.filter((item) => item.entity === CUSTOMER_ENTITY),
          matchKeysOf,
          sameCustomer,
          'matchKeysAdded',
        );
        await addLacking(items.filter(isLinkedPlan), pointerOf, sameLink, 'planLinksAdded');
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }),
  );
  return report;
};
