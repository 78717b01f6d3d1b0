/**
 * One part of an export (the export state machine's Map item): the part's customers
 * (storage's customerLists.part) read a page at a time, each as the CRM API shows it, into gzip
 * files of at most EXPORT_LIMITS.partRecords customers (or partBytes), each with its count and
 * sha256. Where it stands is saved beside its files after each file (its cursor and its files), so
 * a run that stops — its Lambda's time nearly spent, or a crash — continues from its last file,
 * never writing a customer twice or leaving one out.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Context } from 'aws-lambda';
import { csvColumns, csvLine, EXPORT_LIMITS, type ExportFile } from '../domain/exports.ts';
import { customerLists } from '../storage/customers/customer-lists.ts';
import { exportKeys, readText, writeObject } from '../storage/files/files.ts';
import { fieldDefinitionsInForce } from '../storage/fields/field-definitions.ts';
import { getExportJob } from '../storage/exports/export-jobs.ts';
import { toCrmCustomer } from '../crm/customer-view.ts';

/** Where a part's step stands: the list's cursor after its last file, its files, and whether it is done. */
export interface PartState {
  cursor?: string;
  files: ExportFile[];
  done: boolean;
}

/** A part's saved state (none yet: from the start). */
export const partState = async (tenantId: string, exportId: string, part: number): Promise<PartState> => {
  const text = await readText(exportKeys(tenantId, exportId).state(part));
  return text ? (JSON.parse(text) as PartState) : { files: [], done: false };
};

/** Runs a part until it is done, or its time is nearly spent (then `done: false`: run it again to continue). */
export const exportPart = async (tenantId: string, exportId: string, part: number, context: Context): Promise<{ done: boolean }> => {
  const job = await getExportJob(tenantId, exportId);
  if (job?.status !== 'running') return { done: true };
  const keys = exportKeys(tenantId, exportId);
  const state = await partState(tenantId, exportId, part);
  if (state.done) return { done: true };
  const fields = await fieldDefinitionsInForce(tenantId, 'customer');
  const columns = job.format === 'csv' ? csvColumns(fields) : [];
  const limit = Math.min(EXPORT_LIMITS.pageSize, EXPORT_LIMITS.partRecords());
  let lines: string[] = [];
  let bytes = 0;
  let cursor = state.cursor;
  // A file of what was read since the last, then the state after it: a run that stops later starts from here.
  const save = async (done: boolean) => {
    if (lines.length > 0) {
      const text = `${job.format === 'csv' ? `${columns.join(',')}\n` : ''}${lines.join('\n')}\n`;
      const gzip = gzipSync(text);
      const key = keys.part(part, state.files.length + 1, job.format);
      await writeObject(key, gzip, 'application/gzip');
      state.files.push({ type: 'Customer', key, count: lines.length, sha256: createHash('sha256').update(gzip).digest('hex'), bytes: gzip.length });
    }
    state.cursor = cursor;
    state.done = done;
    await writeObject(keys.state(part), JSON.stringify(state), 'application/json');
    [lines, bytes] = [[], 0];
  };
  for (;;) {
    const page = await customerLists.part(tenantId, part, { limit, ...(cursor ? { cursor } : {}) });
    for (const record of page.items) {
      const view = toCrmCustomer(record, fields);
      const line = job.format === 'csv' ? csvLine(view, columns) : JSON.stringify(view);
      lines.push(line);
      bytes += Buffer.byteLength(line) + 1;
    }
    cursor = page.next;
    if (!cursor) {
      await save(true);
      return { done: true };
    }
    if (lines.length >= EXPORT_LIMITS.partRecords() || bytes >= EXPORT_LIMITS.partBytes) await save(false);
    if (context.getRemainingTimeInMillis() < EXPORT_LIMITS.reserveMs) {
      await save(false);
      return { done: false };
    }
  }
};

/** The export state machine's Map item. */
export const handler = async (item: { tenantId: string; exportId: string; part: number }, context: Context) =>
  exportPart(item.tenantId, item.exportId, item.part, context);
