import { defineHandler } from '../http/kernel.ts';
import { notFound } from '../http/errors.ts';
import type { ExportFile } from '../domain/exports.ts';
import { downloadUrl, exportKeys, PRESIGNED_SECONDS, readText } from '../storage/files/files.ts';
import { getExportJob } from '../storage/exports/export-jobs.ts';
import { exportView } from './export-view.ts';
import { imports } from './operations.ts';

/** GET /api/v1/exports/{id} — where the export stands; once completed, its manifest with a fresh download URL per file (15 minutes). */
export const handler = defineHandler(imports.getExport, async (request) => {
  const job = await getExportJob(request.caller.tenantId, request.params.id);
  if (!job) throw notFound(`No export ${request.params.id}.`);
  if (job.status !== 'completed') return { status: 200, body: exportView(job) };
  const manifest = JSON.parse((await readText(exportKeys(job.tenantId, job.id).manifest)) ?? '{"files":[]}') as { files: ExportFile[] };
  const expiresAt = new Date(Date.now() + PRESIGNED_SECONDS * 1000).toISOString();
  const files = await Promise.all(manifest.files.map(async ({ key, ...file }) => ({ ...file, url: await downloadUrl(key) })));
  return { status: 200, body: exportView(job, { files, expiresAt }) };
});
