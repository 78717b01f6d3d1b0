import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsClient } from '../../aws-clients.ts';

/** The one DynamoDB client. Endpoint and region come from the standard AWS environment variables. */
export const dynamodb = awsClient(new DynamoDBClient({}));

/**
 * The document client over it (a background function may trace `dynamodb` in X-Ray: tracing.ts).
 * Numbers are JavaScript numbers both ways: a request's JSON number is a double already, so one
 * past 2^53 is stored as that double (`allowImpreciseNumbers`) and read back as one (`wrapNumbers`),
 * never as a BigInt that JSON cannot write. DynamoDB's own range is checked before (limits.ts).
 */
export const db = DynamoDBDocumentClient.from(dynamodb, {
  marshallOptions: { removeUndefinedValues: true, allowImpreciseNumbers: true },
  unmarshallOptions: { wrapNumbers: (value: string) => Number(value) },
});

export const tableName = (): string => {
  const name = process.env.TABLE_NAME;
  if (!name) throw new Error('TABLE_NAME is not set');
  return name;
};

export type ItemKey = { pk: string; sk: string };

/**
 * Items by key in BatchGetItem requests of at most 100 keys, in the order of `itemKeys`, undefined
 * where there is none. Strongly consistent unless `consistent` is false. Unprocessed keys are asked
 * for again. `client` and `table` address another table than the functions' (the backfill's).
 */
export const getItems = async (
  itemKeys: ItemKey[],
  { consistent = true, client = db, table = tableName() }: { consistent?: boolean; client?: DynamoDBDocumentClient; table?: string } = {},
): Promise<(Record<string, unknown> | undefined)[]> => {
  const found = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < itemKeys.length; i += 100) {
    let pending: ItemKey[] = itemKeys.slice(i, i + 100);
    while (pending.length > 0) {
      const { Responses, UnprocessedKeys } = await client.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: consistent } } }),
      );
      for (const item of Responses?.[table] ?? []) found.set(`${String(item.pk)}\n${String(item.sk)}`, item);
      pending = (UnprocessedKeys?.[table]?.Keys ?? []) as ItemKey[];
    }
  }
  return itemKeys.map((key) => found.get(`${key.pk}\n${key.sk}`));
};

/** Puts and deletes in BatchWriteItem requests of 25, sending again what DynamoDB left unprocessed. */
export const batchWrite = async (requests: ({ PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: ItemKey } })[]): Promise<void> => {
  const table = tableName();
  for (let i = 0; i < requests.length; i += 25) {
    let pending = requests.slice(i, i + 25);
    while (pending.length > 0) {
      const { UnprocessedItems } = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (UnprocessedItems?.[table] ?? []) as typeof pending;
    }
  }
};
