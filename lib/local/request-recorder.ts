import { db } from '../../functions/storage/table/db.ts';

/** One DynamoDB request sent through the shared document client while recording. */
export interface Recorded {
  /** The SDK command's name: `GetItemCommand`, `TransactWriteItemsCommand`, … */
  command: string;
  /** What it addressed (its key, items or key condition), to tell repeated requests apart. */
  key: string;
  write: boolean;
  /** performance.now() when it was sent and when its answer came. */
  start: number;
  end: number;
  readUnits: number;
  writeUnits: number;
  /** Units by table and by index, as DynamoDB reported them (ReturnConsumedCapacity=INDEXES). */
  consumed: ConsumedCapacity[];
}

export type ConsumedCapacity = {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
};

const WRITES = /^(PutItem|UpdateItem|DeleteItem|TransactWriteItems|BatchWriteItem)Command$/;
let recording: Recorded[] | undefined;

/**
 * Records the DynamoDB requests the shared document client sends while `run` runs, and what each
 * consumed (ReturnConsumedCapacity=INDEXES is added to every request). Used by the request-count
 * tests and by `npm run bench`.
 */
db.middlewareStack.add(
  (next, context) => async (args) => {
    if (!recording) return next(args);
    const log = recording;
    const input = args.input as Record<string, unknown>;
    input.ReturnConsumedCapacity = 'INDEXES';
    const start = performance.now();
    const result = await next(args);
    const end = performance.now();
    const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
    // CapacityUnits is the total, tables and indexes: read units for reads, write units for writes.
    const all = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
    const units = all.reduce((sum, c) => sum + (c.CapacityUnits ?? (c.ReadCapacityUnits ?? 0) + (c.WriteCapacityUnits ?? 0)), 0);
    const command = String(context.commandName);
    const write = WRITES.test(command);
    const key = JSON.stringify(
      input.Key ??
        input.TransactItems ??
        input.RequestItems ??
        input.Item ?? [input.IndexName, input.KeyConditionExpression, input.ExpressionAttributeValues, input.ExclusiveStartKey],
    );
    log.push({ command, key, write, start, end, readUnits: write ? 0 : units, writeUnits: write ? units : 0, consumed: all });
    return result;
  },
  { step: 'initialize', name: 'rapportCapacityRecorder' },
);

export const recordRequests = async (run: () => Promise<unknown>): Promise<Recorded[]> => {
  const requests: Recorded[] = [];
  recording = requests;
  try {
    await run();
    return requests;
  } finally {
    recording = undefined;
  }
};
