import type { ExportFile } from '../domain/exports.ts';
import type { ExportJob } from '../storage/exports/export-jobs.ts';
import { EXPORTS_PATH } from './operations.ts';

/**
 * An export as the API shows it: where it stands; once completed, its manifest (after FHIR bulk
 * data's) with its files as `output` (an incremental export's ids gone as `deleted`), each with a
 * download URL valid until `expiresAt`.
 */
export const exportView = (job: ExportJob, output?: { files: (Omit<ExportFile, 'key'> & { url: string })[]; expiresAt: string }) => ({
  id: job.id,
  format: job.format,
  ...(job.since ? { since: job.since } : {}),
  ...(job.include?.length ? { include: job.include } : {}),
  ...(job.search ? { search: job.search } : {}),
  status: job.status,
  created: job.created,
  updated: job.updated,
  ...(job.finished ? { finished: job.finished } : {}),
  ...(job.failure ? { failure: job.failure } : {}),
  ...(output && job.transactionTime
    ? {
        manifest: {
          transactionTime: job.transactionTime,
          request: `POST ${EXPORTS_PATH}`,
          requiresAccessToken: false,
          output: output.files.filter((file) => file.type !== 'DeletedCustomer'),
          ...(job.since ? { deleted: output.files.filter((file) => file.type === 'DeletedCustomer') } : {}),
          error: [],
          count: job.count ?? 0,
          tenantCount: job.tenantCount ?? 0,
          expiresAt: output.expiresAt,
        },
      }
    : {}),
});
