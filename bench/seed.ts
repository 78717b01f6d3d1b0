import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Writes items with BatchWriteItem, 25 a request and 8 requests at a time, until none is left unprocessed. */
export const writeItems = async (db: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]): Promise<void> => {
  const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, i) => items.slice(i * 25, i * 25 + 25));
  for (let i = 0; i < batches.length; i += 8) {
    await Promise.all(
      batches.slice(i, i + 8).map(async (batch) => {
        let pending: Record<string, unknown>[] = batch.map((Item) => ({ PutRequest: { Item } }));
        while (pending.length > 0) {
          const { UnprocessedItems } = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending as never } }));
          pending = (UnprocessedItems?.[table] ?? []) as Record<string, unknown>[];
        }
      }),
    );
  }
};
