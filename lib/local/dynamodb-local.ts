import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type GlobalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  INDEXES,
  keyAttributes,
  LEGACY_INDEXES,
  STREAM_VIEW,
  TABLE_KEYS,
  tableIndexes,
  TTL_ATTRIBUTE,
  type IndexDefinition,
} from '../../functions/storage/table/table-schema.ts';
import { backfill, type BackfillReport } from '../../functions/storage/backfill.ts';

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
  /** Ends DynamoDB Local and its guardian; kills them if they have not ended within STOP_GRACE_MS. */
  stop(): Promise<void>;
  /** Kills DynamoDB Local and its guardian at once (SIGKILL to their process group). */
  kill(): void;
}

/** How long `stop()` waits for the guardian to end before it kills it and DynamoDB Local. */
const STOP_GRACE_MS = 2_000;

/**
 * Starts the official DynamoDB Local under a guardian process; resolves once it answers. The
 * guardian and the java process form a process group of their own, led by the guardian: a signal
 * to the runtime's group (Ctrl-C, a process manager) reaches the runtime alone, which stops them
 * after what still uses them, and `kill()` ends both at once.
 */
export const startDynamoDbLocal = async (options: { dataDir?: string }): Promise<DynamoDbLocal> => {
  const port = await freePort();
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const guardian: ChildProcess = spawn(
    process.execPath,
    [fileURLToPath(new URL('./dynamodb-guardian.ts', import.meta.url)), String(port), ...(options.dataDir ? [options.dataDir] : [])],
    { stdio: ['pipe', 'inherit', 'inherit'], detached: true },
  );
  let ended = false;
  const exited = new Promise<void>((resolve) =>
    guardian.once('exit', () => {
      ended = true;
      resolve();
    }),
  );
  const kill = (): void => {
    if (ended || guardian.pid === undefined) return;
    try {
      process.kill(-guardian.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  };
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
        kill();
        throw new Error('DynamoDB Local did not answer within 60 s');
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
  return {
    endpoint,
    client,
    kill,
    async stop() {
      client.destroy();
      guardian.stdin?.end();
      guardian.kill('SIGTERM');
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((resolve) => (grace = setTimeout(resolve, STOP_GRACE_MS)))]);
      clearTimeout(grace);
      kill();
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
  await client
    .send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }))
    .catch(() => undefined);
  return created.TableDescription!.LatestStreamArn!;
};

const indexesOf = async (client: DynamoDBClient, tableName: string): Promise<{ name: string; status: string }[]> =>
  ((await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.GlobalSecondaryIndexes ?? []).map((index) => ({
    name: index.IndexName!,
    status: index.IndexStatus ?? 'ACTIVE',
  }));

const untilActive = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  for (let i = 0; i < 600; i++) {
    const table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
    if (table?.TableStatus === 'ACTIVE' && (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`table ${tableName} did not become active`);
};

/**
 * Moves a table of the legacy index layout to the current one, the way a deployment moves
 * (README): each missing index created in an update of its own, the backfill, then each legacy
 * index deleted in an update of its own. Nothing to do for a current table. The local runtime
 * runs it on a `.rapport/` table made by an older version; the migration test runs it too.
 */
export const upgradeTable = async (client: DynamoDBClient, tableName: string): Promise<{ created: string[]; deleted: string[]; backfill?: BackfillReport }> => {
  const present = new Set((await indexesOf(client, tableName)).map((index) => index.name));
  const created: string[] = [];
  const deleted: string[] = [];
  for (const index of INDEXES.filter((i) => !present.has(i.name))) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [index.partitionKey, index.sortKey].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        GlobalSecondaryIndexUpdates: [{ Create: { ...globalSecondaryIndex(index) } as never }],
      }),
    );
    await untilActive(client, tableName);
    created.push(index.name);
  }
  const legacy = LEGACY_INDEXES.filter((i) => present.has(i.name));
  if (created.length === 0 && legacy.length === 0) return { created, deleted };
  const report = await backfill(DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), tableName);
  for (const index of legacy) {
    await client.send(new UpdateTableCommand({ TableName: tableName, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: index.name } }] }));
    await untilActive(client, tableName);
    deleted.push(index.name);
  }
  return { created, deleted, backfill: report };
};
