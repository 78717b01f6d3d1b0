import type { ImportStatus } from '../domain/imports.ts';
import { IMPORT_EVENT_OF_STATUS, importEvent } from '../events/import-events.ts';
import { moveImportJob, type ImportJob } from '../storage/imports/import-jobs.ts';

/**
 * A job's move from one of `from` to `to` (storage/imports: conditional, so two steps never both
 * move it), with the summary event the status it enters emits (events/import-events.ts) in the same
 * transaction; `actor` caused it (the job's creator unless a caller did, as for a cancel). The job as
 * moved, or undefined when another step moved it first.
 */
export const moveJob = (
  job: ImportJob,
  from: readonly ImportStatus[],
  to: ImportStatus,
  set: Parameters<typeof moveImportJob>[3] = {},
  actor: string = job.createdBy,
): Promise<ImportJob | undefined> =>
  moveImportJob(job, from, to, set, (next) => {
    const eventType = IMPORT_EVENT_OF_STATUS[to];
    return eventType ? importEvent(eventType, next, actor) : undefined;
  });
