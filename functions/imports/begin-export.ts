import type { Context } from 'aws-lambda';
import { CUSTOMER_PARTS } from '../storage/customers/customer-lists.ts';
import { moveExportJob } from '../storage/exports/export-jobs.ts';

/**
 * The export state machine's first task: a queued job begins (its transaction time is now) and
 * answers its parts, one Map item each; a job begun before (a retried run) answers them again.
 */
export const beginExport = async (tenantId: string, exportId: string): Promise<{ parts: { tenantId: string; exportId: string; part: number }[] }> => {
  await moveExportJob(tenantId, exportId, 'queued', 'running', { transactionTime: new Date().toISOString() });
  return { parts: Array.from({ length: CUSTOMER_PARTS }, (_, part) => ({ tenantId, exportId, part })) };
};

export const handler = async (input: { tenantId: string; exportId: string }, _context: Context) => beginExport(input.tenantId, input.exportId);
