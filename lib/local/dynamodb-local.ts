import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
  type GlobalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import { keyAttributes, STREAM_VIEW, TABLE_KEYS, tableIndexes, TTL_ATTRIBUTE, type IndexDefinition } from '../../functions/storage/table-schema.ts';

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'us-east-1';

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

export interface DynamoDbLocal {
  endpoint: string;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

/** Starts the official DynamoDB Local under a guardian process; resolves once it answers. */
export const startDynamoDbLocal = async (options: { dataDir?: string }): Promise<DynamoDbLocal> => {
  const port = await freePort();
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const guardian: ChildProcess = spawn(
    process.execPath,
    [fileURLToPath(new URL('./dynamodb-guardian.ts', import.meta.url)), String(port), ...(options.dataDir ? [options.dataDir] : [])],
    { stdio: ['pipe', 'inherit', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => guardian.once('exit', () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (guardian.exitCode !== null) throw new Error('DynamoDB Local exited during start-up (is Java 17+ installed?)');
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() > deadline) {
        guardian.kill('SIGKILL');
        throw new Error('DynamoDB Local did not answer within 60 s');
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
  return {
    endpoint,
    client,
    async stop() {
      client.destroy();
      guardian.stdin?.end();
      guardian.kill('SIGTERM');
      await exited;
    },
  };
};

/** An index as CreateTable and UpdateTable describe it. */
export const globalSecondaryIndex = (index: IndexDefinition): GlobalSecondaryIndex => ({
  IndexName: index.name,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: 'HASH' },
    { AttributeName: index.sortKey, KeyType: 'RANGE' },
  ],
  Projection:
    index.projection.type === 'INCLUDE'
      ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.attributes] }
      : { ProjectionType: index.projection.type },
});

/**
 * Creates the single table from the shared schema, unless it exists. Returns its stream ARN.
 * `indexes` defaults to the current layout (a migration test builds a legacy table).
 */
export const ensureTable = async (client: DynamoDBClient, tableName: string, indexes: readonly IndexDefinition[] = tableIndexes()): Promise<string> => {
  const existing = await client.send(new DescribeTableCommand({ TableName: tableName })).catch((error: Error) => {
    if (error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  });
  if (existing?.Table?.LatestStreamArn) return existing.Table.LatestStreamArn;
  const created = await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: keyAttributes(indexes).map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      GlobalSecondaryIndexes: indexes.map(globalSecondaryIndex),
      StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM_VIEW },
    }),
  );
  await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } })).catch(() => undefined);
  return created.TableDescription!.LatestStreamArn!;
};
