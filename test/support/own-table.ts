import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../lib/local/dynamodb-local.ts';
import { db } from '../../functions/storage/table/db.ts';
import type { IndexDefinition } from '../../functions/storage/table/table-schema.ts';

/**
 * A table of the test file's own in the run's DynamoDB Local (the current layout unless `indexes`
 * says otherwise), which the file's in-process handlers use (TABLE_NAME: tableName() reads it on
 * each call) from its `beforeAll` on; deleted after the file.
 */
export const ownTable = (prefix: string, indexes?: readonly IndexDefinition[]) => {
  const client = new DynamoDBClient({ endpoint: inject('dynamoDbEndpoint'), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const table = `${prefix}-${randomUUID().slice(0, 8)}`;
  const previous = process.env.TABLE_NAME!;
  beforeAll(async () => {
    await ensureTable(client, table, indexes);
    process.env.TABLE_NAME = table;
  });
  afterAll(async () => {
    process.env.TABLE_NAME = previous;
    await client.send(new DeleteTableCommand({ TableName: table }));
  });
  return { client, table };
};

/** Every item of a table (a test's look at what is stored; no request path scans). */
export const scanTable = async (table: string): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
};
