/**
 * One part of an export (the export state machine's Map item): the part's customers
 * (storage's customerLists.part; an incremental export's one part: the customers the tenant's event
 * feed names since the export it continues from, and the ids of those gone; a filtered export's one
 * part: the customers its search finds in the search projection) read a page at a time, each as the CRM API shows it, into gzip
 * files of at most EXPORT_LIMITS.partRecords customers (or partBytes), each with its count and
 * sha256. Where it stands is saved beside its files after each file (its cursor and its files), so
 * a run that stops — its Lambda's time nearly spent, or a crash — continues from its last file,
 * never writing a customer twice or leaving one out.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Context } from 'aws-lambda';
import { CHILD_CSV_COLUMNS, csvCell, csvColumns, csvLine, EXPORT_LIMITS, type ExportFile, type ExportInclude } from '../domain/exports.ts';
import { listChildren, type ChildKind, type ChildRecord } from '../storage/customers/customer-children.ts';
import { childView } from '../crm/child-changes.ts';
import { customerLists } from '../storage/customers/customer-lists.ts';
import { getCustomers } from '../storage/customers/customers.ts';
import type { CustomerRecord } from '../storage/customers/customer-items.ts';
import { MAX_FEED_PAGE, readFeed } from '../storage/event-feed.ts';
import { exportKeys, readText, writeObject } from '../storage/files/files.ts';
import { fieldDefinitionsInForce } from '../storage/fields/field-definitions.ts';
import { getExportJob } from '../storage/exports/export-jobs.ts';
import { toCrmCustomer } from '../crm/customer-view.ts';
import { searchCustomers } from '../storage/search/customer-search.ts';
import { exportSearchQuery } from './export-search.ts';

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
 * event names — its subject, or the customers a merge took in or an unmerge gave back, and, when
 * the export takes what customers own (`owned`), the customer of an activity or opportunity that
 * changed — read as it is now: live, or gone (deleted, erased, merged away). Read to the feed's settled head.
 */
const changesPage = async (tenantId: string, after: string, owned: boolean): Promise<SourcePage> => {
  const page = await readFeed(tenantId, { after, limit: MAX_FEED_PAGE });
  const ids = new Set<string>();
  for (const event of page.events) {
    if (event.subject.type === 'Customer') ids.add(event.subject.id);
    const data = (event.data ?? {}) as {
      mergedIds?: unknown;
      unmergedId?: unknown;
      activity?: { customerId?: unknown };
      opportunity?: { customerId?: unknown };
    };
    if (Array.isArray(data.mergedIds)) for (const id of data.mergedIds) ids.add(String(id));
    if (typeof data.unmergedId === 'string') ids.add(data.unmergedId);
    const ownerOf = (event.subject.type === 'Activity' ? data.activity : event.subject.type === 'Opportunity' ? data.opportunity : undefined)?.customerId;
    if (owned && typeof ownerOf === 'string') ids.add(ownerOf);
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

/**
 * A page of a search's customers (a filtered export's one part), in id order after `cursor`: the
 * ids from the search projection, the customers themselves from the table (one that is gone since
 * is left out).
 */
const searchPage = async (tenantId: string, query: Awaited<ReturnType<typeof exportSearchQuery>>, cursor: string | undefined): Promise<SourcePage> => {
  const page = await searchCustomers({
    tenantId,
    ...query,
    sort: [],
    limit: Math.min(EXPORT_LIMITS.pageSize, EXPORT_LIMITS.partRecords()),
    ...(cursor ? { after: [cursor] } : {}),
    count: false,
    facets: [],
  });
  const records = await getCustomers(tenantId, page.ids);
  const next = page.next?.at(-1);
  return {
    customers: records.filter((record): record is CustomerRecord => record !== undefined),
    gone: [],
    ...(next ? { cursor: String(next) } : {}),
    end: next === undefined,
  };
};

const CHILD_KINDS = { activities: 'ACTIVITY', opportunities: 'OPPORTUNITY' } as const satisfies Record<ExportInclude, ChildKind>;

/** Every activity or opportunity of a customer, page by page. */
const allChildren = async (kind: ChildKind, tenantId: string, customerId: string): Promise<ChildRecord[]> => {
  const all: ChildRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await listChildren(kind, tenantId, customerId, 100, cursor);
    all.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return all;
};

/** Customers read at once for what they own. */
const OWNED_CONCURRENCY = 16;

/** `work` for each item, OWNED_CONCURRENCY at a time, the answers in the items' order. */
const inBatches = async <T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> => {
  const answers: R[] = [];
  for (let i = 0; i < items.length; i += OWNED_CONCURRENCY) answers.push(...(await Promise.all(items.slice(i, i + OWNED_CONCURRENCY).map(work))));
  return answers;
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
  const query = job.search ? await exportSearchQuery(tenantId, job.search, Date.parse(job.created)) : undefined;
  // The lines of the files being filled, by type, and the customers in them (a customer changed twice is written once a file).
  let lines = new Map<ExportFile['type'], string[]>();
  let inFile = new Set<string>();
  let bytes = 0;
  let cursor = state.cursor ?? job.after;
  const add = (type: ExportFile['type'], line: string) => {
    lines.set(type, [...(lines.get(type) ?? []), line]);
    bytes += Buffer.byteLength(line) + 1;
  };
  const header = (type: ExportFile['type']): string =>
    type === 'Customer' ? columns.join(',') : type === 'DeletedCustomer' ? 'id' : CHILD_CSV_COLUMNS[type].join(',');
  const records = () => [...lines.values()].reduce((sum, typed) => sum + typed.length, 0);
  // Files of what was read since the last, then the state after them: a run that stops later starts from here.
  const save = async (done: boolean) => {
    for (const [type, body] of lines) {
      const gzip = gzipSync(`${job.format === 'csv' ? `${header(type)}\n` : ''}${body.join('\n')}\n`);
      const key = keys.part(part, state.files.length + 1, job.format);
      await writeObject(key, gzip, 'application/gzip');
      state.files.push({ type, key, count: body.length, sha256: createHash('sha256').update(gzip).digest('hex'), bytes: gzip.length });
    }
    state.cursor = cursor;
    state.done = done;
    await writeObject(keys.state(part), JSON.stringify(state), 'application/json');
    [lines, inFile, bytes] = [new Map(), new Set(), 0];
  };
  const kinds = (job.include ?? []).map((include) => CHILD_KINDS[include]);
  for (;;) {
    const page = incremental
      ? await changesPage(tenantId, cursor!, kinds.length > 0)
      : query
        ? await searchPage(tenantId, query, cursor)
        : await shardPage(tenantId, part, cursor);
    const customers = page.customers.filter((record) => !inFile.has(record.id));
    // What each customer owns, read a few customers at a time (every page of each: a customer's children are not capped).
    const owned = kinds.length === 0 ? [] : await inBatches(customers, (record) => Promise.all(kinds.map((kind) => allChildren(kind, tenantId, record.id))));
    for (const [i, record] of customers.entries()) {
      inFile.add(record.id);
      const view = toCrmCustomer(record, fields);
      add('Customer', job.format === 'csv' ? csvLine(view, columns) : JSON.stringify(view));
      for (const [k, children] of (owned[i] ?? []).entries()) {
        const type = kinds[k] === 'ACTIVITY' ? 'Activity' : 'Opportunity';
        for (const child of children) add(type, job.format === 'csv' ? csvLine(childView(child), CHILD_CSV_COLUMNS[type]) : JSON.stringify(childView(child)));
      }
    }
    for (const id of page.gone) add('DeletedCustomer', job.format === 'csv' ? csvCell(id) : JSON.stringify({ id }));
    cursor = page.cursor;
    if (page.end) {
      await save(true);
      return { done: true };
    }
    if (records() >= EXPORT_LIMITS.partRecords() || bytes >= EXPORT_LIMITS.partBytes) await save(false);
    if (context.getRemainingTimeInMillis() < EXPORT_LIMITS.reserveMs) {
      await save(false);
      return { done: false };
    }
  }
};

/** The export state machine's Map item. */
export const handler = async (item: { tenantId: string; exportId: string; part: number }, context: Context) =>
  exportPart(item.tenantId, item.exportId, item.part, context);
