import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { PendingEvent } from '../../domain/event-envelope.ts';
import { db, tableName } from '../table/db.ts';
import { keys } from '../table/keys.ts';
import type { Bookkeeping } from '../table/bookkeeping.ts';
import { ConditionFailed, putEvent, transact, type TransactItem } from '../table/transactions.ts';
import type { ExportFormat, ExportInclude, ExportSearch, ExportStatus } from '../../domain/exports.ts';

/** An export job as the table keeps it. */
export interface ExportJob extends Bookkeeping {
  id: string;
  tenantId: string;
  format: ExportFormat;
  status: ExportStatus;
  /** When it began reading: what it holds is the tenant as of this time or later (FHIR's transactionTime). */
  transactionTime?: string;
  /** Once completed (its files are listed in its manifest, storage/files): how many customers they hold, and the tenant's count as its counters said at the end. */
  count?: number;
  tenantCount?: number;
  failure?: { code: string; message: string };
  finished?: string;
  /** Who it reads as: the authorizer's context of the request that created it. */
  actor: Record<string, string>;
  /** What it takes beside each customer (an incremental export: each changed customer's, whole). */
  include?: ExportInclude[];
  /** A filtered export's: only the customers this search finds (in the search projection). */
  search?: ExportSearch;
  /** An incremental export's: the export it continues from, and the feed position it reads after (that export's `feedPosition`). */
  since?: string;
  after?: string;
  /** Where an incremental export continuing from this one reads the event feed after: a full export's start, an incremental one's end. */
  feedPosition?: string;
}

const ENTITY = 'EXPORT';

/** Stores a new job, with what the create's idempotency writes beside it. */
export const insertExportJob = async (job: ExportJob, extra: TransactItem[]): Promise<void> => {
  await transact([
    {
      Put: {
        TableName: tableName(),
        Item: { ...job, ...keys.exportJob(job.tenantId, job.id), entity: ENTITY },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...extra,
  ]);
};

export const getExportJob = async (tenantId: string, id: string): Promise<ExportJob | undefined> => {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: keys.exportJob(tenantId, id), ConsistentRead: true }));
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, entity: _entity, ...job } = Item;
  return job as ExportJob;
};

/**
 * The job moved from `from` to `to` with `set` beside, and the event `eventOf` makes of it as moved
 * written in the same transaction (conditional on the job's status and event count, so its events'
 * sequence never repeats): the job as it now is, or undefined when it was not in `from` (another
 * step moved it).
 */
export const moveExportJob = async (
  job: ExportJob,
  from: ExportStatus,
  to: ExportStatus,
  set: Partial<Pick<ExportJob, 'transactionTime' | 'count' | 'tenantCount' | 'failure' | 'finished' | 'feedPosition'>> = {},
  eventOf: (next: ExportJob) => PendingEvent | undefined = () => undefined,
): Promise<ExportJob | undefined> => {
  const next: ExportJob = { ...job, ...set, status: to, updated: new Date().toISOString(), version: job.version + 1, sequence: job.sequence + 1 };
  const event = eventOf(next);
  if (!event) next.sequence = job.sequence;
  const entries = Object.entries(set).filter(([, value]) => value !== undefined);
  const key = keys.exportJob(job.tenantId, job.id);
  try {
    await transact([
      {
        Update: {
          TableName: tableName(),
          Key: key,
          UpdateExpression: `SET #status = :to, #updated = :now, #version = :version, #sequence = :sequence${entries.map(([name]) => `, #${name} = :${name}`).join('')}`,
          ConditionExpression: '#status = :from AND #sequence = :was',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#updated': 'updated',
            '#version': 'version',
            '#sequence': 'sequence',
            ...Object.fromEntries(entries.map(([name]) => [`#${name}`, name])),
          },
          ExpressionAttributeValues: {
            ':to': to,
            ':from': from,
            ':now': next.updated,
            ':version': next.version,
            ':sequence': next.sequence,
            ':was': job.sequence,
            ...Object.fromEntries(entries.map(([name, value]) => [`:${name}`, value])),
          },
        },
      },
      ...(event ? [putEvent(key.pk, event)] : []),
    ]);
    return next;
  } catch (error) {
    if (error instanceof ConditionFailed && error.index === 0) return undefined;
    throw error;
  }
};
