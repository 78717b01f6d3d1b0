import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { PendingEvent } from '../../domain/event-envelope.ts';
import { db, tableName } from '../table/db.ts';
import { keys } from '../table/keys.ts';
import type { Bookkeeping } from '../table/bookkeeping.ts';
import { ConditionFailed, putEvent, transact, type TransactItem } from '../table/transactions.ts';
import type { Counts, ImportJobState, ImportStatus } from '../../domain/imports.ts';

/** An import job as the table keeps it: its state (chunks the splitter wrote, chunks counted, why it failed), and how it runs. */
export interface ImportJob extends ImportJobState, Bookkeeping {
  tenantId: string;
  /** The multipart upload its file arrives by. */
  uploadId: string;
  /** Who it writes as: the authorizer's context of the request that created it. */
  actor: Record<string, string>;
  /** When its last progress event was written. */
  progressReported?: string;
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

/** Attempts at a move while other writers change the job (its counts do not count: a move conditions on its version and events). */
const MOVE_ATTEMPTS = 10;

/**
 * The job moved from one of `from` to `to`, with `set` beside, and the event `eventOf` makes of it
 * as moved (if any) written in the same transaction: the job as it now is, or undefined when it
 * was in none of `from` (another step moved it). Conditional on the job's version and event count,
 * so its events' sequence never repeats; read again and retried when another writer came between.
 */
export const moveImportJob = async (
  job: ImportJob,
  from: readonly ImportStatus[],
  to: ImportStatus,
  set: Partial<Pick<ImportJob, 'chunks' | 'failure' | 'started' | 'finished'>> & { counts?: Partial<Counts> } = {},
  eventOf: (next: ImportJob) => PendingEvent | undefined = () => undefined,
): Promise<ImportJob | undefined> => {
  let current: ImportJob | undefined = job;
  for (let attempt = 1; current && from.includes(current.status); attempt++) {
    const next: ImportJob = {
      ...current,
      ...set,
      counts: { ...current.counts, ...set.counts },
      status: to,
      updated: new Date().toISOString(),
      version: current.version + 1,
      sequence: current.sequence + 1,
    };
    const event = eventOf(next);
    if (!event) next.sequence = current.sequence;
    const names: Record<string, string> = { '#status': 'status', '#updated': 'updated', '#version': 'version', '#sequence': 'sequence' };
    const values: Record<string, unknown> = {
      ':to': to,
      ':now': next.updated,
      ':version': next.version,
      ':sequence': next.sequence,
      ':was': current.version,
      ':wasSequence': current.sequence,
    };
    const sets = ['#status = :to', '#updated = :now', '#version = :version', '#sequence = :sequence'];
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
    const key = keys.importJob(job.tenantId, job.id);
    const moved = await unlessFirstRefused([
      {
        Update: {
          TableName: tableName(),
          Key: key,
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: `#status IN (${from.map((_, i) => `:from${i}`).join(', ')}) AND #version = :was AND #sequence = :wasSequence`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      ...(event ? [putEvent(key.pk, event)] : []),
    ]);
    if (moved) return next;
    if (attempt >= MOVE_ATTEMPTS) throw new Error(`import ${job.id}: the job kept changing while it was moved to ${to}`);
    current = await getImportJob(job.tenantId, job.id);
  }
  return undefined;
};

/**
 * A running job's progress event, written with the time it was reported at, unless another step
 * wrote an event (or moved the job) since `job` was read: then none (false), as a progress event
 * only samples the job.
 */
export const reportImportProgress = async (job: ImportJob, at: string, event: PendingEvent): Promise<boolean> => {
  const key = keys.importJob(job.tenantId, job.id);
  return unlessFirstRefused([
    {
      Update: {
        TableName: tableName(),
        Key: key,
        UpdateExpression: 'SET progressReported = :at, #sequence = :sequence',
        ConditionExpression: '#status = :running AND #sequence = :was',
        ExpressionAttributeNames: { '#status': 'status', '#sequence': 'sequence' },
        ExpressionAttributeValues: { ':at': at, ':sequence': job.sequence + 1, ':was': job.sequence, ':running': 'running' },
      },
    },
    putEvent(key.pk, event),
  ]);
};

/**
 * A chunk's outcomes added to the job's counts, once: its marker and the counts in one transaction,
 * so a chunk run again (a retry, a resumed job) is counted once. False when it was counted before.
 * The first of a chunk's two runs (`part`: 'first', its customers) counts its outcomes without
 * counting the chunk done: the second does. `also` joins the same transaction, once with the counts:
 * the tenant's count of the customers the run created (customerCountAdditions).
 */
export const countChunk = async (tenantId: string, id: string, chunk: number, counts: Counts, part?: 'first', also: TransactItem[] = []): Promise<boolean> => {
  const names: Record<string, string> = { '#counts': 'counts' };
  const values: Record<string, unknown> = {};
  const adds: string[] = [];
  if (!part) {
    names['#done'] = 'chunksDone';
    values[':one'] = 1;
    adds.push('#done :one');
  }
  for (const [name, value] of Object.entries(counts)) {
    names[`#c_${name}`] = name;
    values[`:c_${name}`] = value;
    adds.push(`#counts.#c_${name} :c_${name}`);
  }
  return unlessFirstRefused([
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.importChunk(tenantId, id, chunk, part), entity: 'IMPORT_CHUNK', counts },
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
    ...also,
  ]);
};

/** A transaction whose first item is conditional: false when that condition refused it (nothing written), every other failure thrown. */
const unlessFirstRefused = async (items: TransactItem[]): Promise<boolean> => {
  try {
    await transact(items);
    return true;
  } catch (error) {
    if (error instanceof ConditionFailed && error.index === 0) return false;
    throw error;
  }
};

/**
 * A tenant's slots for running chunks (IMPORT_LIMITS.tenantChunkConcurrency): a chunk's run takes
 * one before it writes and gives it back after, so however many of the tenant's jobs run, at most
 * that many chunks write at once. A slot is held until a time (a run that crashed never gives it
 * back: it is free again when its time is up), each slot its own item, so no key is hot.
 */
export const takeImportSlot = async (tenantId: string, slots: number, holder: string, holdMs: number): Promise<number | undefined> => {
  const now = Date.now();
  const first = Math.floor(Math.random() * slots);
  for (let i = 0; i < slots; i++) {
    const slot = (first + i) % slots;
    const taken = await unlessFirstRefused([
      {
        Put: {
          TableName: tableName(),
          Item: { ...keys.importSlot(tenantId, slot), entity: 'IMPORT_SLOT', holder, until: now + holdMs },
          ConditionExpression: 'attribute_not_exists(pk) OR #until < :now OR holder = :holder',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':now': now, ':holder': holder },
        },
      },
    ]);
    if (taken) return slot;
  }
  return undefined;
};

/** Gives a slot back (if it is still this holder's). */
export const releaseImportSlot = async (tenantId: string, slot: number, holder: string): Promise<void> => {
  await unlessFirstRefused([
    {
      Delete: {
        TableName: tableName(),
        Key: keys.importSlot(tenantId, slot),
        ConditionExpression: 'holder = :holder',
        ExpressionAttributeValues: { ':holder': holder },
      },
    },
  ]);
};
