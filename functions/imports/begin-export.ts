import type { Context } from 'aws-lambda';
import { CUSTOMER_PARTS } from '../storage/customers/customer-lists.ts';
import { getExportJob, moveExportJob, type ExportJob } from '../storage/exports/export-jobs.ts';
import { timePrefix } from '../domain/ids.ts';
import { withExportEvent } from '../events/export-events.ts';

/**
 * The export state machine's first task: a queued job begins (its transaction time is now) and
 * answers its parts, one Map item each (an incremental export's one: the feed since the export it
 * continues from); a job begun before (a retried run) answers them again.
 */
export const beginExport = async (tenantId: string, exportId: string): Promise<{ parts: { tenantId: string; exportId: string; part: number }[] }> => {
  const now = Date.now();
  const job = await getExportJob(tenantId, exportId);
  // A full export reflects every change written before it began: the next incremental export reads the feed from here.
  if (job?.status === 'queued')
    await moveExportJob(
      job,
      'queued',
      'running',
      { transactionTime: new Date(now).toISOString(), ...(job.after === undefined ? { feedPosition: timePrefix(now) } : {}) },
      withExportEvent('running'),
    );
  return { parts: Array.from({ length: partsOf(job) }, (_, part) => ({ tenantId, exportId, part })) };
};

/** The parts of an export: one per customer shard, or one for an incremental export (it reads the tenant's feed, merged across its shards) or a filtered one (it pages through the search's results). */
export const partsOf = (job: ExportJob | undefined): number => (job?.after !== undefined || job?.search !== undefined ? 1 : CUSTOMER_PARTS);

export const handler = async (input: { tenantId: string; exportId: string }, _context: Context) => beginExport(input.tenantId, input.exportId);
