import type { Context } from 'aws-lambda';
import { accountedFor } from '../domain/imports.ts';
import { getImportJob } from '../storage/imports/import-jobs.ts';
import { moveJob } from './job-moves.ts';

/**
 * The state machine's last task: a running job whose every chunk is counted, and whose lines read
 * equal its outcomes (created + updated + unchanged + failed + skipped), is completed; one that
 * is not is failed, saying what is missing — never completed with a line unaccounted for.
 */
export const finishImport = async (tenantId: string, importId: string): Promise<void> => {
  const job = await getImportJob(tenantId, importId);
  if (job?.status !== 'running') return;
  const done = accountedFor(job.counts);
  const finished = new Date().toISOString();
  if (job.chunksDone === job.chunks && done === job.counts.read) await moveJob(job, ['running'], 'completed', { finished });
  else
    await moveJob(job, ['running'], 'failed', {
      failure: {
        code: 'INCOMPLETE',
        message: `${job.chunksDone} of ${job.chunks} chunks and ${done} of ${job.counts.read} lines were accounted for; run it again to resume.`,
      },
      finished,
    });
};

export const handler = async (input: { tenantId: string; importId: string }, _context: Context) => finishImport(input.tenantId, input.importId);
