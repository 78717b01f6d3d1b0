import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { db, tableName } from '../table/db.ts';
import { keys } from '../table/keys.ts';
import type { Bookkeeping } from '../table/bookkeeping.ts';
import { ConditionFailed, transact, type TransactItem } from '../table/transactions.ts';
import type { Counts, ImportSpec, ImportStatus } from '../../domain/imports.ts';

/** An import job as the table keeps it. */
export interface ImportJob extends ImportSpec, Bookkeeping {
  id: string;
  tenantId: string;
  status: ImportStatus;
  /** The multipart upload its file arrives by. */
  uploadId: string;
  counts: Counts;
  /** Chunks the splitter wrote, once it has; chunks counted so far. */
  chunks?: number;
  chunksDone: number;
  /** Why it failed (a file it could not read), with the line where the reader stopped. */
  failure?: { code: string; message: string; line?: number };
  /** Who it writes as: the authorizer's context of the request that created it. */
  actor: Record<string, string>;
  started?: string;
  finished?: string;
}

const ENTITY = 'IMPORT';

/** Stores a new job, with what the create's idempotency writes beside it. */
export const insertImportJob = async (job: ImportJob, extra: TransactItem[]): Promise<void> => {
  await transact([
    {
      Put: {
        TableName: tableName(),
        Item: { ...job, ...keys.importJob(job.tenantId, job.id), entity: ENTITY },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...extra,
  ]);
};

const fromItem = (item: Record<string, unknown>): ImportJob => {
  const { pk: _pk, sk: _sk, entity: _entity, ...job } = item;
  return job as unknown as ImportJob;
};

export const getImportJob = async (tenantId: string, id: string): Promise<ImportJob | undefined> => {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: keys.importJob(tenantId, id), ConsistentRead: true }));
  return Item ? fromItem(Item) : undefined;
};

/** The job moved from one of `from` to `to`, with `set` beside, as it now is; undefined when it was in none of them (another step moved it). */
export const moveImportJob = async (
  tenantId: string,
  id: string,
  from: readonly ImportStatus[],
  to: ImportStatus,
  set: Partial<Pick<ImportJob, 'chunks' | 'failure' | 'started' | 'finished'>> & { counts?: Partial<Counts> } = {},
): Promise<ImportJob | undefined> => {
  const names: Record<string, string> = { '#status': 'status', '#updated': 'updated', '#version': 'version' };
  const values: Record<string, unknown> = { ':to': to, ':now': new Date().toISOString(), ':one': 1 };
  const sets = ['#status = :to', '#updated = :now'];
  for (const [name, value] of Object.entries(set)) {
    if (value === undefined || name === 'counts') continue;
    names[`#${name}`] = name;
    values[`:${name}`] = value;
    sets.push(`#${name} = :${name}`);
  }
  for (const [name, value] of Object.entries(set.counts ?? {})) {
    names[`#c_${name}`] = name;
    values[`:c_${name}`] = value;
    sets.push(`counts.#c_${name} = :c_${name}`);
  }
  for (const [i, status] of from.entries()) values[`:from${i}`] = status;
  try {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.importJob(tenantId, id),
        UpdateExpression: `SET ${sets.join(', ')} ADD #version :one`,
        ConditionExpression: `#status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes ? fromItem(Attributes) : undefined;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
};

/**
 * A chunk's outcomes added to the job's counts, once: its marker and the counts in one transaction,
 * so a chunk run again (a retry, a resumed job) is counted once. False when it was counted before.
 */
export const countChunk = async (tenantId: string, id: string, chunk: number, counts: Counts): Promise<boolean> => {
  const names: Record<string, string> = { '#done': 'chunksDone', '#counts': 'counts' };
  const values: Record<string, unknown> = { ':one': 1 };
  const adds = ['#done :one'];
  for (const [name, value] of Object.entries(counts)) {
    names[`#c_${name}`] = name;
    values[`:c_${name}`] = value;
    adds.push(`#counts.#c_${name} :c_${name}`);
  }
  try {
    await transact([
      {
        Put: {
          TableName: tableName(),
          Item: { ...keys.importChunk(tenantId, id, chunk), entity: 'IMPORT_CHUNK', counts },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: keys.importJob(tenantId, id),
          UpdateExpression: `ADD ${adds.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
    ]);
    return true;
  } catch (error) {
    if (error instanceof ConditionFailed && error.index === 0) return false;
    throw error;
  }
};
