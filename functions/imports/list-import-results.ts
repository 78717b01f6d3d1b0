import { defineHandler } from '../http/kernel.ts';
import { notFound } from '../http/errors.ts';
import type { LineResult } from '../domain/imports.ts';
import { csvCell } from '../domain/exports.ts';
import { importKeys, readText } from '../storage/files/files.ts';
import { getImportJob } from '../storage/imports/import-jobs.ts';
import { decodeValueCursor, encodeValueCursor, InvalidCursor } from '../storage/table/list-cursor.ts';
import { imports } from './operations.ts';

/** A CSV page's columns: a result's members. */
const RESULT_COLUMNS = ['line', 'outcome', 'id', 'code', 'field', 'column', 'message'] as const;

/** Chunks' results a page reads at most: a page's cost is bounded however rare the outcome asked for. */
const CHUNKS_PER_PAGE = 5;

/**
 * GET /api/v1/imports/{id}/results — the job's line results in line order (chunk by chunk), of one
 * outcome when asked; `next` continues where the page stopped — also at a chunk not yet processed,
 * to be asked again later. Asked with `Accept: text/csv`, the page is CSV (a header line; cells a
 * spreadsheet would run as formulas escaped), its `next` in the `X-Next-Cursor` header.
 */
export const handler = defineHandler(imports.listImportResults, async (request) => {
  const { tenantId } = request.caller;
  const job = await getImportJob(tenantId, request.params.id);
  if (!job) throw notFound(`No import ${request.params.id}.`);
  const { outcome, limit, cursor } = request.query;
  const list = `import-results\n${tenantId}\n${job.id}\n${outcome ?? ''}`;
  let [chunk, index] = [1, 0];
  if (cursor !== undefined) {
    const position = decodeValueCursor(cursor, list);
    if (!Array.isArray(position) || position.length !== 2 || !position.every((n) => Number.isInteger(n) && n >= 0)) throw new InvalidCursor();
    [chunk, index] = position as [number, number];
  }
  const results: LineResult[] = [];
  const chunks = job.chunks ?? 0;
  const keys = importKeys(tenantId, job.id);
  for (let read = 0; chunk <= chunks && read < CHUNKS_PER_PAGE && results.length < limit; read++) {
    const text = await readText(keys.results(chunk));
    if (text === undefined) break;
    const lines = text.split('\n').filter((line) => line !== '');
    for (; index < lines.length && results.length < limit; index++) {
      const result = JSON.parse(lines[index]!) as LineResult;
      if (!outcome || result.outcome === outcome) results.push(result);
    }
    if (index >= lines.length) [chunk, index] = [chunk + 1, 0];
  }
  const more = chunk <= chunks || job.chunks === undefined;
  const next = more && job.status !== 'failed' && job.status !== 'cancelled' ? encodeValueCursor(list, [chunk, index]) : undefined;
  if (/\btext\/csv\b/.test(request.headers.accept ?? ''))
    return {
      status: 200,
      text: `${[RESULT_COLUMNS.join(','), ...results.map((result) => RESULT_COLUMNS.map((column) => csvCell(result[column])).join(','))].join('\r\n')}\r\n`,
      headers: { 'content-type': 'text/csv; charset=utf-8', ...(next ? { 'x-next-cursor': next } : {}) },
    };
  return { status: 200, body: { results, ...(next ? { next } : {}) } };
});
