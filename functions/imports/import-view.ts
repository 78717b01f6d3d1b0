import type { ImportJob } from '../storage/imports/import-jobs.ts';
import { accountedFor } from '../domain/imports.ts';

/** A job as the API shows it: its spec, status, counts and progress; not who it writes as, nor its upload's id. */
export const importView = (job: ImportJob, now = Date.now()) => {
  const done = accountedFor(job.counts);
  const elapsed = job.started ? ((job.finished ? Date.parse(job.finished) : now) - Date.parse(job.started)) / 1000 : 0;
  const rowsPerSecond = elapsed > 0 ? Math.round((done / elapsed) * 10) / 10 : 0;
  // The end at this pace, once the splitter has counted the rows (and while some remain).
  const remaining = job.chunks !== undefined && job.status === 'running' ? job.counts.read - done : undefined;
  return {
    id: job.id,
    object: job.object,
    mode: job.mode,
    matchKey: job.matchKey,
    format: job.format,
    ...(job.delimiter ? { delimiter: job.delimiter } : {}),
    ...(job.mapping ? { mapping: job.mapping } : {}),
    bytes: job.bytes,
    status: job.status,
    counts: job.counts,
    ...(job.chunks !== undefined ? { chunks: job.chunks } : {}),
    chunksDone: job.chunksDone,
    ...(job.started
      ? {
          progress: {
            done,
            rowsPerSecond,
            ...(remaining !== undefined && remaining > 0 && rowsPerSecond > 0
              ? { estimatedEnd: new Date(now + (remaining / rowsPerSecond) * 1000).toISOString() }
              : {}),
          },
        }
      : {}),
    ...(job.failure ? { failure: job.failure } : {}),
    created: job.created,
    updated: job.updated,
    ...(job.started ? { started: job.started } : {}),
    ...(job.finished ? { finished: job.finished } : {}),
  };
};
