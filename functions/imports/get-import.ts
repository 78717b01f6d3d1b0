import { defineHandler } from '../http/kernel.ts';
import { importView } from '../domain/imports.ts';
import { notFound } from '../http/errors.ts';
import { etag } from '../http/preconditions.ts';
import { getImportJob } from '../storage/imports/import-jobs.ts';
import { imports } from './operations.ts';

/** GET /api/v1/imports/{id} — where the job stands. */
export const handler = defineHandler(imports.getImport, async (request) => {
  const job = await getImportJob(request.caller.tenantId, request.params.id);
  if (!job) throw notFound(`No import ${request.params.id}.`);
  return { status: 200, body: importView(job), headers: { etag: etag(job.version) } };
});
