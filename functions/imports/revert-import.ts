import { defineHandler } from '../http/kernel.ts';
import { actorOf } from '../http/internal-call.ts';
import { conflict, notFound } from '../http/errors.ts';
import { checkIfMatch, etag } from '../http/preconditions.ts';
import { ACTIVE_IMPORT_STATUSES, importView, noCounts } from '../domain/imports.ts';
import { newBookkeeping } from '../storage/table/bookkeeping.ts';
import { ConditionFailed } from '../storage/table/transactions.ts';
import { getImportJob, insertImportJob, type ImportJob } from '../storage/imports/import-jobs.ts';
import { startJobRun } from './run-import.ts';
import { imports, IMPORTS_PATH } from './operations.ts';

/**
 * POST /api/v1/imports/{id}/revert — undoes an import that has ended: a revert job (`<id>-revert`,
 * one per import: asked again, it answers as it stands) runs over the import's lines as the import
 * ran over its rows, deleting the customers it created and PATCHing back the values it replaced,
 * unless a customer changed since (those are listed: `skipped`, CHANGED_SINCE). It writes as the
 * caller. A job still running is a 409 (cancel it first); a validation or a revert wrote nothing to undo.
 */
export const handler = defineHandler(imports.revertImport, async (request) => {
  const { tenantId, sub } = request.caller;
  const source = await getImportJob(tenantId, request.params.id);
  if (!source) throw notFound(`No import ${request.params.id}.`);
  checkIfMatch(request.headers, source.version);
  if (source.mode === 'validate' || source.mode === 'revert') throw conflict(`A ${source.mode} job wrote nothing to revert.`);
  if ((ACTIVE_IMPORT_STATUSES as readonly string[]).includes(source.status))
    throw conflict(`The import has not ended (it is ${source.status}): cancel it, or wait for it to end, then revert it.`);
  const { object, matchKey, format, bytes, recordEvents } = source;
  const job: ImportJob = {
    object,
    matchKey,
    format,
    bytes,
    ...(recordEvents ? { recordEvents } : {}),
    mode: 'revert',
    revertOf: source.id,
    id: `${source.id}-revert`,
    tenantId,
    status: 'queued',
    uploadId: '',
    counts: noCounts(),
    chunksDone: 0,
    actor: { ...actorOf(request.caller) },
    ...newBookkeeping(sub),
    sequence: 0,
  };
  let stands = job;
  try {
    await insertImportJob(job, []);
    await startJobRun('import', tenantId, job.id);
  } catch (error) {
    if (!(error instanceof ConditionFailed && error.index === 0)) throw error;
    stands = (await getImportJob(tenantId, job.id))!;
  }
  return {
    status: 202,
    body: importView(stands),
    headers: { etag: etag(stands.version), location: `${request.baseUrl}${IMPORTS_PATH}/${job.id}` },
  };
});
