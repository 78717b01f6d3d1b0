import { defineHandler } from '../http/kernel.ts';
import { importView } from '../domain/imports.ts';
import { conflict, notFound } from '../http/errors.ts';
import { etag } from '../http/preconditions.ts';
import { getImportJob } from '../storage/imports/import-jobs.ts';
import { uploadOf } from './create-import.ts';
import { imports } from './operations.ts';

/**
 * POST /api/v1/imports/{id}/upload — fresh presigned URLs of every part of a job's upload, while the
 * job awaits its file: an upload interrupted for longer than its URLs last (15 minutes) goes on
 * where it stopped. Parts already sent stay in S3 (a part sent again replaces its earlier self);
 * the start names each part with the ETag its last PUT answered. Nothing is written.
 */
export const handler = defineHandler(imports.renewImportUpload, async (request) => {
  const { tenantId } = request.caller;
  const job = await getImportJob(tenantId, request.params.id);
  if (!job) throw notFound(`No import ${request.params.id}.`);
  if (job.status !== 'awaiting-upload') throw conflict(`Import ${job.id} is ${job.status}: its file was sent and it no longer takes one.`);
  return { status: 200, body: { ...importView(job), upload: await uploadOf(job) }, headers: { etag: etag(job.version) } };
});
