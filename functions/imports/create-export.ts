import { defineHandler } from '../http/kernel.ts';
import { actorOf } from '../http/internal-call.ts';
import { newId } from '../domain/ids.ts';
import { newBookkeeping } from '../storage/table/bookkeeping.ts';
import { getExportJob, insertExportJob, type ExportJob } from '../storage/exports/export-jobs.ts';
import { badRequest, unprocessable } from '../http/errors.ts';
import { timeOfId } from '../domain/ids.ts';
import { EXPORT_SINCE_DAYS } from '../domain/exports.ts';
import { QueryProblem } from '../domain/search-model.ts';
import { startJobRun } from './run-import.ts';
import { exportSearchQuery } from './export-search.ts';
import { exportView } from './export-view.ts';
import { EXPORTS_PATH, imports } from './operations.ts';

/**
 * The completed export an incremental one continues from, recent enough that the event feed still
 * holds every change since (EXPORT_SINCE_DAYS); otherwise 400 or 422, saying to run a full one.
 */
const continuedExport = async (tenantId: string, id: string): Promise<ExportJob & { feedPosition: string }> => {
  const since = await getExportJob(tenantId, id);
  if (!since) throw badRequest(`since: no export ${id.slice(0, 100)}.`);
  if (since.status !== 'completed' || since.feedPosition === undefined)
    throw unprocessable(`since: export ${id} has not completed; an incremental export continues from a completed one.`);
  if (Date.now() - timeOfId(since.feedPosition) > EXPORT_SINCE_DAYS * 86_400_000)
    throw unprocessable(
      `since: export ${id} is more than ${EXPORT_SINCE_DAYS} days old, further back than the event feed is sure to reach: run a full export.`,
    );
  return since as ExportJob & { feedPosition: string };
};

/**
 * POST /api/v1/exports — an export of the tenant's customers (admin: it reads every customer),
 * queued and started at once: its parts are read in parallel into gzip files; GET …/{id} follows it
 * and, once completed, answers its manifest. With `since` (an earlier export), an incremental
 * export: the customers changed since that export, as they are now, and the ids of those gone —
 * read from the tenant's event feed, so it costs what changed, not what the tenant holds. With
 * `search`, only the customers that search finds (read from the search projection, page by page).
 */
export const handler = defineHandler(imports.createExport, async (request) => {
  const { tenantId, sub } = request.caller;
  // With since, a changed customer's activities and opportunities are written whole, as they are now (those that changed name their customer as changed).
  const include = [...new Set(request.body.include ?? [])];
  const { search } = request.body;
  if (search !== undefined && request.body.since !== undefined)
    throw badRequest('search: an incremental export (since) holds what changed, whatever it is; filter a full export instead.');
  const bookkeeping = newBookkeeping(sub);
  // The search is checked now, as the search API checks it (relative dates read as of the export's creation, for every page).
  if (search !== undefined)
    await exportSearchQuery(tenantId, search, Date.parse(bookkeeping.created)).catch((error: unknown) => {
      throw error instanceof QueryProblem ? badRequest(error.message) : error;
    });
  const since = request.body.since === undefined ? undefined : await continuedExport(tenantId, request.body.since);
  const job: ExportJob = {
    id: newId(),
    tenantId,
    format: request.body.format,
    ...(since ? { since: since.id, after: since.feedPosition } : {}),
    ...(include.length > 0 ? { include } : {}),
    ...(search !== undefined ? { search } : {}),
    status: 'queued',
    actor: { ...actorOf(request.caller) },
    ...bookkeeping,
    // No event yet: its summary events (events/export-events.ts) count from 1.
    sequence: 0,
  };
  const response = { status: 201, body: exportView(job), headers: { location: `${request.baseUrl}${EXPORTS_PATH}/${job.id}` } };
  await insertExportJob(job, request.idempotency(response));
  await startJobRun('export', tenantId, job.id);
  return response;
});
