import { defineHandler } from '../http/kernel.ts';
import { actorOf } from '../http/internal-call.ts';
import { newId } from '../domain/ids.ts';
import { newBookkeeping } from '../storage/table/bookkeeping.ts';
import { insertExportJob, type ExportJob } from '../storage/exports/export-jobs.ts';
import { startJobRun } from './run-import.ts';
import { exportView } from './export-view.ts';
import { EXPORTS_PATH, imports } from './operations.ts';

/**
 * POST /api/v1/exports — an export of the tenant's customers (admin: it reads every customer),
 * queued and started at once: its parts are read in parallel into gzip files; GET …/{id} follows it
 * and, once completed, answers its manifest.
 */
export const handler = defineHandler(imports.createExport, async (request) => {
  const { tenantId, sub } = request.caller;
  const job: ExportJob = {
    id: newId(),
    tenantId,
    format: request.body.format,
    status: 'queued',
    actor: { ...actorOf(request.caller) },
    ...newBookkeeping(sub),
  };
  const response = { status: 201, body: exportView(job), headers: { location: `${request.baseUrl}${EXPORTS_PATH}/${job.id}` } };
  await insertExportJob(job, request.idempotency(response));
  await startJobRun('export', tenantId, job.id);
  return response;
});
