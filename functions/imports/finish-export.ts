import type { Context } from 'aws-lambda';
import { CUSTOMER_PARTS, tenantCustomerCount } from '../storage/customers/customer-lists.ts';
import { exportKeys, writeObject } from '../storage/files/files.ts';
import { getExportJob, moveExportJob } from '../storage/exports/export-jobs.ts';
import { partState } from './export-part.ts';

/**
 * The export state machine's last task: a job whose every part is done is completed, its manifest
 * (every file, with its count and sha256; their sum; the tenant's count as its counters say now)
 * written beside its files; one with a part not done is failed, saying which.
 */
export const finishExport = async (tenantId: string, exportId: string): Promise<void> => {
  const job = await getExportJob(tenantId, exportId);
  if (job?.status !== 'running') return;
  const states = await Promise.all(Array.from({ length: CUSTOMER_PARTS }, (_, part) => partState(tenantId, exportId, part)));
  const unfinished = states.flatMap((state, part) => (state.done ? [] : [part]));
  const finished = new Date().toISOString();
  if (unfinished.length > 0) {
    await moveExportJob(tenantId, exportId, 'running', 'failed', {
      failure: { code: 'INCOMPLETE', message: `Parts ${unfinished.join(', ')} did not finish.` },
      finished,
    });
    return;
  }
  const files = states.flatMap((state) => state.files);
  const count = files.reduce((sum, file) => sum + file.count, 0);
  const tenantCount = await tenantCustomerCount(tenantId);
  await writeObject(exportKeys(tenantId, exportId).manifest, JSON.stringify({ files, count, tenantCount }), 'application/json');
  await moveExportJob(tenantId, exportId, 'running', 'completed', { count, tenantCount, finished });
};

export const handler = async (input: { tenantId: string; exportId: string }, _context: Context) => finishExport(input.tenantId, input.exportId);
