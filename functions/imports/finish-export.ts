import type { Context } from 'aws-lambda';
import { tenantCustomerCount } from '../storage/customers/customer-lists.ts';
import { partsOf } from './begin-export.ts';
import { withExportEvent } from '../events/export-events.ts';
import { exportKeys, writeObject } from '../storage/files/files.ts';
import { getExportJob, moveExportJob } from '../storage/exports/export-jobs.ts';
import { partState } from './export-part.ts';

/**
 * The export state machine's last task: a job whose every part is done is completed, its manifest
 * (every file, with its count and sha256; their sum of customers; the tenant's count as its counters say now)
 * written beside its files; one with a part not done is failed, saying which.
 */
export const finishExport = async (tenantId: string, exportId: string): Promise<void> => {
  const job = await getExportJob(tenantId, exportId);
  if (job?.status !== 'running') return;
  const states = await Promise.all(Array.from({ length: partsOf(job) }, (_, part) => partState(tenantId, exportId, part)));
  const unfinished = states.flatMap((state, part) => (state.done ? [] : [part]));
  const finished = new Date().toISOString();
  if (unfinished.length > 0) {
    await moveExportJob(
      job,
      'running',
      'failed',
      { failure: { code: 'INCOMPLETE', message: `Parts ${unfinished.join(', ')} did not finish.` }, finished },
      withExportEvent('failed'),
    );
    return;
  }
  const files = states.flatMap((state) => state.files);
  const count = files.reduce((sum, file) => sum + (file.type === 'Customer' ? file.count : 0), 0);
  const tenantCount = await tenantCustomerCount(tenantId);
  await writeObject(exportKeys(tenantId, exportId).manifest, JSON.stringify({ files, count, tenantCount }), 'application/json');
  // An incremental export read the feed to its state's cursor: the next one reads on from there.
  const feedPosition = job.after !== undefined ? (states[0]!.cursor ?? job.after) : undefined;
  await moveExportJob(job, 'running', 'completed', { count, tenantCount, finished, ...(feedPosition ? { feedPosition } : {}) }, withExportEvent('completed'));
};

export const handler = async (input: { tenantId: string; exportId: string }, _context: Context) => finishExport(input.tenantId, input.exportId);
