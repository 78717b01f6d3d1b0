import { defineHandler } from '../http/kernel.ts';
import { importView } from '../domain/imports.ts';
import { conflict, notFound } from '../http/errors.ts';
import { checkIfMatch, etag } from '../http/preconditions.ts';
import { completeUpload, importKeys, objectSize } from '../storage/files/files.ts';
import { getImportJob } from '../storage/imports/import-jobs.ts';
import { moveJob } from './job-moves.ts';
import { startJobRun } from './run-import.ts';
import { imports } from './operations.ts';

/**
 * POST /api/v1/imports/{id}/start — completes the multipart upload with the parts the caller sent
 * and queues the job. A file bigger than the job declared fails the job (nothing of it is read).
 * A job started before answers as it stands (202), so a retried start starts nothing twice;
 * `If-Match` (the job's ETag) refuses a start of a job that changed since (412).
 */
export const handler = defineHandler(imports.startImport, async (request) => {
  const { tenantId } = request.caller;
  const job = await getImportJob(tenantId, request.params.id);
  if (!job) throw notFound(`No import ${request.params.id}.`);
  checkIfMatch(request.headers, job.version);
  if (job.status !== 'awaiting-upload') return { status: 202, body: importView(job), headers: { etag: etag(job.version) } };
  const upload = importKeys(tenantId, job.id).upload;
  try {
    await completeUpload(upload, job.uploadId, request.body.parts);
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (/^(InvalidPart|InvalidPartOrder|EntityTooSmall|NoSuchUpload|MalformedXML)$/.test(name))
      throw conflict(`The upload is not complete: ${name} (${(error as Error).message}). Send every part, then each part's number and ETag.`);
    throw error;
  }
  const size = (await objectSize(upload)) ?? 0;
  const moved =
    size > job.bytes
      ? await moveJob(job, ['awaiting-upload'], 'failed', {
          failure: { code: 'FILE_LARGER_THAN_DECLARED', message: `The file has ${size} bytes; the job declared ${job.bytes}. Nothing of it was read.` },
          finished: new Date().toISOString(),
        })
      : await moveJob(job, ['awaiting-upload'], 'queued');
  if (moved?.status === 'queued') await startJobRun('import', tenantId, job.id);
  // A start that lost the race to another answers the job as the other left it.
  const now = moved ?? (await getImportJob(tenantId, job.id))!;
  return { status: 202, body: importView(now), headers: { etag: etag(now.version) } };
});
