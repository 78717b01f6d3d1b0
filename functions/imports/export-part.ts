/**
 * One part of an export (the export state machine's Map item): the part's customers
 * (storage's customerLists.part; an incremental export's one part: the customers the tenant's event
 * feed names since the export it continues from, and the ids of those gone) read a page at a time, each as the CRM API shows it, into gzip
 * files of at most EXPORT_LIMITS.partRecords customers (or partBytes), each with its count and
 * sha256. Where it stands is saved beside its files after each file (its cursor and its files), so
 * a run that stops — its Lambda's time nearly spent, or a crash — continues from its last file,
 * never writing a customer twice or leaving one out.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Context } from 'aws-lambda';
import { csvCell, csvColumns, csvLine, EXPORT_LIMITS, type ExportFile } from '../domain/exports.ts';
import { customerLists } from '../storage/customers/customer-lists.ts';
import { getCustomers } from '../storage/customers/customers.ts';
import type { CustomerRecord } from '../storage/customers/customer-items.ts';
import { MAX_FEED_PAGE, readFeed } from '../storage/event-feed.ts';
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

/** A page of what a part writes: customers (as stored), ids of customers gone, where to read on, and whether the part is read to its end. */
interface SourcePage {
  customers: CustomerRecord[];
  gone: string[];
  cursor?: string;
  end: boolean;
}

/** A page of one customer shard (a full export's part). */
const shardPage = async (tenantId: string, part: number, cursor: string | undefined): Promise<SourcePage> => {
  const page = await customerLists.part(tenantId, part, {
    limit: Math.min(EXPORT_LIMITS.pageSize, EXPORT_LIMITS.partRecords()),
    ...(cursor ? { cursor } : {}),
  });
  return { customers: page.items, gone: [], ...(page.next ? { cursor: page.next } : {}), end: !page.next };
};

/**
 * A page of the tenant's event feed after `after` (an incremental export's part): each customer an
 * event names — its subject, or the customers a merge took in or an unmerge gave back — read as it
 * is now: live, or gone (deleted, erased, merged away). Read to the feed's settled head.
 */
const changesPage = async (tenantId: string, after: string): Promise<SourcePage> => {
  const page = await readFeed(tenantId, { after, limit: MAX_FEED_PAGE });
  const ids = new Set<string>();
  for (const event of page.events) {
    if (event.subject.type === 'Customer') ids.add(event.subject.id);
    const data = (event.data ?? {}) as { mergedIds?: unknown; unmergedId?: unknown };
    if (Array.isArray(data.mergedIds)) for (const id of data.mergedIds) ids.add(String(id));
    if (typeof data.unmergedId === 'string') ids.add(data.unmergedId);
  }
  const records = await getCustomers(tenantId, [...ids]);
  return {
    customers: records.filter((record): record is CustomerRecord => record !== undefined),
    gone: [...ids].filter((_, i) => records[i] === undefined),
    // The feed's position after this page, kept at its head too: where the next export reads on.
    cursor: page.next,
    end: !page.more,
  };
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
  const incremental = job.after !== undefined;
  // The lines of the files being filled (customers, and ids gone), and the customers in them (a customer changed twice is written once a file).
  let lines: string[] = [];
  let gone: string[] = [];
  let inFile = new Set<string>();
  let bytes = 0;
  let cursor = state.cursor ?? job.after;
  const file = async (type: ExportFile['type'], header: string, body: string[]) => {
    const gzip = gzipSync(`${job.format === 'csv' ? `${header}\n` : ''}${body.join('\n')}\n`);
    const key = keys.part(part, state.files.length + 1, job.format);
    await writeObject(key, gzip, 'application/gzip');
    state.files.push({ type, key, count: body.length, sha256: createHash('sha256').update(gzip).digest('hex'), bytes: gzip.length });
  };
  // Files of what was read since the last, then the state after them: a run that stops later starts from here.
  const save = async (done: boolean) => {
    if (lines.length > 0) await file('Customer', columns.join(','), lines);
    if (gone.length > 0) await file('DeletedCustomer', 'id', gone);
    state.cursor = cursor;
    state.done = done;
    await writeObject(keys.state(part), JSON.stringify(state), 'application/json');
    [lines, gone, inFile, bytes] = [[], [], new Set(), 0];
  };
  for (;;) {
    const page = incremental ? await changesPage(tenantId, cursor!) : await shardPage(tenantId, part, cursor);
    for (const record of page.customers) {
      if (inFile.has(record.id)) continue;
      inFile.add(record.id);
      const view = toCrmCustomer(record, fields);
      const line = job.format === 'csv' ? csvLine(view, columns) : JSON.stringify(view);
      lines.push(line);
      bytes += Buffer.byteLength(line) + 1;
    }
    for (const id of page.gone) gone.push(job.format === 'csv' ? csvCell(id) : JSON.stringify({ id }));
    cursor = page.cursor;
    if (page.end) {
      await save(true);
      return { done: true };
    }
    if (lines.length + gone.length >= EXPORT_LIMITS.partRecords() || bytes >= EXPORT_LIMITS.partBytes) await save(false);
    if (context.getRemainingTimeInMillis() < EXPORT_LIMITS.reserveMs) {
      await save(false);
      return { done: false };
    }
  }
};

/** The export state machine's Map item. */
export const handler = async (item: { tenantId: string; exportId: string; part: number }, context: Context) =>
  exportPart(item.tenantId, item.exportId, item.part, context);
