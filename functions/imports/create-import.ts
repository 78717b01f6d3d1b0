import { defineHandler } from '../http/kernel.ts';
import { actorOf } from '../http/internal-call.ts';
import { newId } from '../domain/ids.ts';
import { IMPORT_LIMITS, importView, matchKeyField, noCounts } from '../domain/imports.ts';
import { badRequest } from '../http/errors.ts';
import { customerFields } from '../http/custom-values.ts';
import { newBookkeeping } from '../storage/table/bookkeeping.ts';
import { importKeys, partUrls, PRESIGNED_SECONDS, startUpload } from '../storage/files/files.ts';
import { insertImportJob, type ImportJob } from '../storage/imports/import-jobs.ts';
import { imports, IMPORTS_PATH } from './operations.ts';

/** Where a job's file goes: a presigned URL per part (the create's answer, and a renewal's: renew-import-upload.ts). */
export const uploadOf = async (job: Pick<ImportJob, 'tenantId' | 'id' | 'uploadId' | 'bytes'>) => ({
  partBytes: IMPORT_LIMITS.partBytes,
  parts: await partUrls(importKeys(job.tenantId, job.id).upload, job.uploadId, Math.max(1, Math.ceil(job.bytes / IMPORT_LIMITS.partBytes))),
  expiresAt: new Date(Date.now() + PRESIGNED_SECONDS * 1000).toISOString(),
});

/**
 * POST /api/v1/imports — a job awaiting its file: a multipart upload is begun under the tenant's
 * prefix and the answer carries a presigned URL per part (64 MiB each, the last smaller), valid for
 * 15 minutes, each for that part of that object alone. The job writes as its creator, with the
 * rights their roles gave them now.
 */
export const handler = defineHandler(imports.createImport, async (request) => {
  const { tenantId, sub } = request.caller;
  const spec = { ...request.body, matchKey: request.body.matchKey ?? 'externalId' };
  const key = matchKeyField(spec.matchKey);
  if (key !== undefined) {
    const definition = (await customerFields(request)).get(key);
    if (!definition?.unique || definition.archived)
      throw badRequest(`matchKey ${spec.matchKey} must name an active unique custom field of customers (its value finds one customer).`);
  }
  const id = newId();
  const contentType = spec.format === 'csv' ? 'text/csv' : 'application/x-ndjson';
  const upload = importKeys(tenantId, id).upload;
  const uploadId = await startUpload(upload, contentType);
  const job: ImportJob = {
    ...spec,
    id,
    tenantId,
    status: 'awaiting-upload',
    uploadId,
    counts: noCounts(),
    chunksDone: 0,
    actor: { ...actorOf(request.caller) },
    // No event yet: its summary events (events/import-events.ts) count from 1.
    ...newBookkeeping(sub),
    sequence: 0,
  };
  const body = { ...importView(job), upload: await uploadOf(job) };
  const response = { status: 201, body, headers: { location: `${request.baseUrl}${IMPORTS_PATH}/${id}` } };
  await insertImportJob(job, request.idempotency(response));
  return response;
});
