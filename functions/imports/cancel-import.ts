import { defineHandler } from '../http/kernel.ts';
import { conflict, notFound } from '../http/errors.ts';
import { checkIfMatch, etag } from '../http/preconditions.ts';
import { ACTIVE_IMPORT_STATUSES, importView } from '../domain/imports.ts';
import { abortUpload, importKeys } from '../storage/files/files.ts';
import { getImportJob } from '../storage/imports/import-jobs.ts';
import { moveJob } from './job-moves.ts';
import { imports } from './operations.ts';

/**
 * POST /api/v1/imports/{id}/cancel — a job that has not ended is cancelled: a job awaiting its file
 * drops the upload's parts; a running one stops at its next chunk (each chunk, and the finish, act only on
 * a running job). Rows already written stay (reverting an import is not built yet). A job that has
 * ended is a 409; `If-Match` (the job's ETag) refuses a cancel of a job that changed since (412).
 */
export const handler = defineHandler(imports.cancelImport, async (request) => {
  const { tenantId } = request.caller;
  const job = await getImportJob(tenantId, request.params.id);
  if (!job) throw notFound(`No import ${request.params.id}.`);
  checkIfMatch(request.headers, job.version);
  const active = (ACTIVE_IMPORT_STATUSES as readonly string[]).includes(job.status);
  const cancelled = active ? await moveJob(job, ACTIVE_IMPORT_STATUSES, 'cancelled', { finished: new Date().toISOString() }, request.caller.sub) : undefined;
  // Ended before, or while this cancel was on its way (then read again to say how).
  if (!cancelled) throw conflict(`The import has ended: it is ${active ? (await getImportJob(tenantId, job.id))!.status : job.status}.`);
  // Its parts are dropped now; where the store refuses (an upload gone already; s3rver, which has no abort), the bucket's rule drops them within a day.
  if (job.status === 'awaiting-upload')
    await abortUpload(importKeys(tenantId, job.id).upload, job.uploadId).catch((error: unknown) => {
      if (!['NoSuchUpload', 'MethodNotAllowed'].includes((error as { name?: string }).name ?? '')) throw error;
    });
  return { status: 202, body: importView(cancelled), headers: { etag: etag(cancelled.version) } };
});
