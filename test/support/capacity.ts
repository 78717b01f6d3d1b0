import { db } from '../../functions/storage/db.ts';

export interface Recorded {
  command: string;
  readUnits: number;
  writeUnits: number;
}

let recording: Recorded[] | undefined;

/**
 * Counts the DynamoDB requests the shared document client sends while `run` runs, and what each
 * consumed (ReturnConsumedCapacity=TOTAL is added to every request).
 */
db.middlewareStack.add(
  (next, context) => async (args) => {
    const input = args.input as Record<string, unknown>;
    if (recording) input.ReturnConsumedCapacity = 'TOTAL';
    const result = await next(args);
    if (recording) {
      const output = result.output as { ConsumedCapacity?: { ReadCapacityUnits?: number; WriteCapacityUnits?: number; CapacityUnits?: number } | { ReadCapacityUnits?: number; WriteCapacityUnits?: number; CapacityUnits?: number }[] };
      const all = Array.isArray(output.ConsumedCapacity) ? output.ConsumedCapacity : output.ConsumedCapacity ? [output.ConsumedCapacity] : [];
      // With TOTAL, DynamoDB reports CapacityUnits: read units for reads, write units for writes.
      const command = String(context.commandName);
      const units = all.reduce((sum, c) => sum + (c.CapacityUnits ?? (c.ReadCapacityUnits ?? 0) + (c.WriteCapacityUnits ?? 0)), 0);
      const isRead = /^(GetItem|Query|BatchGetItem|TransactGetItems)Command$/.test(command);
      recording.push({ command, readUnits: isRead ? units : 0, writeUnits: isRead ? 0 : units });
    }
    return result;
  },
  { step: 'initialize', name: 'rapportCapacityRecorder' },
);

export const recordRequests = async (run: () => Promise<unknown>): Promise<Recorded[]> => {
  recording = [];
  try {
    await run();
    return recording;
  } finally {
    recording = undefined;
  }
};
