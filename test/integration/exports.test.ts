/**
 * Bulk export (issue 27) through the real handlers against DynamoDB Local and the local S3: the
 * tenant's customers exported in parts of bounded size, each a gzip file whose sha256 and count the
 * manifest states; together every customer once, their count the tenant's count; CSV whose formula
 * cells are escaped. A part's step that stops for time continues where it stopped.
 */
import { describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.EXPORT_PART_RECORDS = '4';
  // The event feed hands out an event at once (an incremental export reads it).
  process.env.FEED_SETTLE_SECONDS = '0';
});

import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { uniqueTenant } from '../../lib/local/direct-call.ts';
import { importsSettled } from '../../lib/local/imports-local.ts';
import { lambdaContext } from '../../lib/local/functions.ts';
import { exportPart, partState } from '../../functions/imports/export-part.ts';
import { insertExportJob, moveExportJob } from '../../functions/storage/exports/export-jobs.ts';
import { newBookkeeping } from '../../functions/storage/table/bookkeeping.ts';
import { send } from '../support/send.ts';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../functions/storage/table/db.ts';
import { keys } from '../../functions/storage/table/keys.ts';
import { reconcileTenant } from '../../functions/search/reconcile.ts';

const admin = (tenant: string) => ({ sub: 'exporter', tenant });

/** Exports the tenant and waits for it: the export as it ended, and each file's text (checked against its manifest entry). */
const runExport = async (tenant: string, format: 'ndjson' | 'csv', since?: string, more: Record<string, unknown> = {}) => {
  const created = await send('createExport', { ...admin(tenant), body: { format, ...(since ? { since } : {}), ...more } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await importsSettled();
  const done = await send('getExport', { ...admin(tenant), params: { id: created.body.id } });
  expect(done.body.status, JSON.stringify(done.body)).toBe('completed');
  const files: string[] = [];
  for (const file of done.body.manifest.output as { url: string; count: number; sha256: string; bytes: number }[]) {
    const bytes = Buffer.from(await (await fetch(file.url)).arrayBuffer());
    expect(bytes.length).toBe(file.bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
    files.push(gunzipSync(bytes).toString('utf8'));
  }
  const deleted: string[] = [];
  for (const file of (done.body.manifest.deleted ?? []) as { url: string; sha256: string }[]) {
    const bytes = Buffer.from(await (await fetch(file.url)).arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
    deleted.push(gunzipSync(bytes).toString('utf8'));
  }
  return { id: String(created.body.id), manifest: done.body.manifest, files, deleted };
};

describe('export jobs', () => {
  it('exports every customer once, in files of bounded size whose counts and sha256 the manifest states', async () => {
    const tenant = uniqueTenant();
    await send('createField', { ...admin(tenant), params: { object: 'customer' }, body: { key: 'tier', label: 'Tier', type: 'string' } });
    const ids = new Set<string>();
    for (let i = 0; i < 23; i++) {
      const name = i === 0 ? '=HYPERLINK("http://evil.example","click")' : i === 1 ? 'Comma, "Quoted"\nTwo lines' : `Customer ${String(i).padStart(2, '0')}`;
      const created = await send('createCrmCustomer', {
        ...admin(tenant),
        body: { name, type: 'PERSON', customFields: { tier: i % 2 ? '+31 gold' : 'silver' } },
      });
      expect(created.status).toBe(201);
      ids.add(created.body.id);
    }
    const deleted = [...ids][5]!;
    await send('deleteCrmCustomer', { ...admin(tenant), params: { id: deleted } });
    ids.delete(deleted);

    const ndjson = await runExport(tenant, 'ndjson');
    expect(ndjson.manifest).toMatchObject({ count: 22, tenantCount: 22, requiresAccessToken: false, error: [] });
    const records = ndjson.files.flatMap((text) =>
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    );
    expect(records.map((r) => r.id).sort()).toEqual([...ids].sort());
    // At most 4 a file (EXPORT_PART_RECORDS), and the counts add up.
    for (const [i, text] of ndjson.files.entries()) {
      const lines = text.split('\n').filter(Boolean).length;
      expect(lines).toBe(ndjson.manifest.output[i].count);
      expect(lines).toBeLessThanOrEqual(4);
    }
    expect(records.find((r) => r.name === 'Customer 02')).toMatchObject({ type: 'PERSON', customFields: { tier: 'silver' }, crmStatus: 'LEAD' });

    const csv = await runExport(tenant, 'csv');
    const rows = csv.files.flatMap((text) => parse(text, { columns: true }) as Record<string, string>[]);
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(Object.keys(rows[0]!)).toContain('customFields.tier');
    // Cells a spreadsheet would run are escaped with a leading quote; quotes, commas and line breaks survive.
    expect(rows.find((r) => r.name!.includes('HYPERLINK'))!.name).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(rows.some((r) => r['customFields.tier'] === "'+31 gold")).toBe(true);
    expect(rows.some((r) => r.name === 'Comma, "Quoted"\nTwo lines')).toBe(true);
  }, 90_000);

  it('continues a part that stopped for time from its last file, writing no customer twice', async () => {
    const tenant = uniqueTenant();
    for (let i = 0; i < 40; i++) await send('createCrmCustomer', { ...admin(tenant), body: { name: `Walk ${i}`, type: 'PERSON' } });
    const id = `resume-${Date.now()}`;
    const queued = { id, tenantId: tenant, format: 'ndjson' as const, status: 'queued' as const, actor: {}, ...newBookkeeping('exporter') };
    await insertExportJob(queued, []);
    await moveExportJob(queued, 'queued', 'running', { transactionTime: new Date().toISOString() });
    // A context with less time left than the step keeps in reserve: each run writes one file's worth, then stops.
    const short = () => lambdaContext('exportPart', 1000);
    let runs = 0;
    const exported: number[] = [];
    for (let part = 0; part < 8; part++) {
      while (!(await exportPart(tenant, id, part, short())).done) runs++;
      exported.push((await partState(tenant, id, part)).files.reduce((sum, file) => sum + file.count, 0));
    }
    expect(exported.reduce((a, b) => a + b, 0)).toBe(40);
    expect(runs).toBeGreaterThan(0);
  }, 90_000);

  it('is an admin’s: a writer without the admin scope is refused, and another tenant’s export is not found', async () => {
    const tenant = uniqueTenant();
    const readWrite = { claims: { sub: 'writer', tenant, scope: 'rapport/read rapport/write' } };
    expect((await send('createExport', { ...readWrite, body: { format: 'ndjson' } })).status).toBe(403);
    const created = await send('createExport', { ...admin(tenant), body: { format: 'ndjson' } });
    await importsSettled();
    expect((await send('getExport', { ...admin(uniqueTenant()), params: { id: created.body.id } })).status).toBe(404);
    expect((await send('createExport', { ...admin(tenant), body: { format: 'xml' } })).status).toBe(400);
  });

  it('exports incrementally: since an earlier export, the customers changed (as they are now) and the ids of those gone, read from the event feed', async () => {
    const tenant = uniqueTenant();
    const ids: string[] = [];
    for (const name of ['Ann', 'Bob', 'Cid']) ids.push(String((await send('createCrmCustomer', { ...admin(tenant), body: { name, type: 'PERSON' } })).body.id));
    const [ann, bob] = ids as [string, string, string];
    const full = await runExport(tenant, 'ndjson');
    expect(full.manifest.count).toBe(3);
    // Its summary events, in the job's outbox: started, then completed with the count (no file URLs).
    const events = await db.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
        ExpressionAttributeValues: { ':pk': keys.exportJob(tenant, full.id).pk, ':event': 'EVENT#' },
      }),
    );
    const details = (events.Items ?? []).map((item) => item.detail as { eventType: string; sequence: number; data: { export: Record<string, unknown> } });
    expect(details.map((d) => [d.eventType, d.sequence]).sort()).toEqual([
      ['ExportCompleted', 2],
      ['ExportStarted', 1],
    ]);
    expect(details.find((d) => d.eventType === 'ExportCompleted')!.data.export).toMatchObject({ status: 'completed', count: 3, tenantCount: 3 });
    expect(JSON.stringify(details)).not.toContain('http');
    expect(full.manifest.deleted).toBeUndefined();

    expect((await send('updateCrmCustomer', { ...admin(tenant), params: { id: ann }, body: { name: 'Ann Changed' } })).status).toBe(200);
    expect((await send('deleteCrmCustomer', { ...admin(tenant), params: { id: bob } })).status).toBe(204);
    const dan = String((await send('createCrmCustomer', { ...admin(tenant), body: { name: 'Dan', type: 'PERSON' } })).body.id);
    const since = await runExport(tenant, 'ndjson', full.id);
    const changed = since.files.flatMap((text) =>
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { id: string; name: string }),
    );
    expect(changed.map(({ id, name }) => [id, name]).sort()).toEqual(
      [
        [ann, 'Ann Changed'],
        [dan, 'Dan'],
      ].sort(),
    );
    expect(since.manifest.count).toBe(2);
    expect(since.manifest.tenantCount).toBe(3);
    expect(
      since.deleted.flatMap((text) =>
        text
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line)),
      ),
    ).toEqual([{ id: bob }]);

    // Nothing since: an export of nothing.
    const nothing = await runExport(tenant, 'csv', since.id);
    expect(nothing.manifest).toMatchObject({ count: 0, output: [], deleted: [] });
    // Since an export that does not exist, or of another tenant: 400.
    expect((await send('createExport', { ...admin(tenant), body: { format: 'ndjson', since: 'nope' } })).status).toBe(400);
    expect((await send('createExport', { ...admin(uniqueTenant()), body: { format: 'ndjson', since: full.id } })).status).toBe(400);
  });

  it('exports only the customers a search finds (its filter and full text, read from the search projection), page after page', async () => {
    const tenant = uniqueTenant();
    const vip = new Set<string>();
    for (let i = 0; i < 11; i++) {
      const created = await send('createCrmCustomer', {
        ...admin(tenant),
        body: { name: `Found ${i}`, type: 'PERSON', tags: i % 3 === 0 ? ['vip'] : ['regular'], crmStatus: i % 2 ? 'PROSPECT' : 'LEAD' },
      });
      expect(created.status).toBe(201);
      if (i % 3 === 0) vip.add(created.body.id);
    }
    // The projection as the projector would have brought it (no stream here).
    await reconcileTenant(tenant);
    // Files of 4 customers (EXPORT_PART_RECORDS), so the search is read over several pages of its own cursor.
    const search = { filter: { field: 'tags', op: 'containsAny', value: ['vip'] } };
    const tagged = await runExport(tenant, 'ndjson', undefined, { search });
    const written = tagged.files.flatMap((text) =>
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { id: string; tags: string[] }),
    );
    expect(written.map((c) => c.id).sort()).toEqual([...vip].sort());
    expect(tagged.manifest.count).toBe(vip.size);
    expect(tagged.manifest.tenantCount).toBe(11);
    expect((await send('getExport', { ...admin(tenant), params: { id: tagged.id } })).body.search).toEqual(search);
    // And by full text and a filter together.
    const both = await runExport(tenant, 'csv', undefined, { search: { q: 'Found', filter: { field: 'crmStatus', op: 'eq', value: 'PROSPECT' } } });
    expect(both.manifest.count).toBe(5);

    // A search the query model refuses is a 400 naming it, and so is a search of an incremental export; nothing is made.
    const unknownField = await send('createExport', {
      ...admin(tenant),
      body: { format: 'ndjson', search: { filter: { field: 'nope', op: 'eq', value: 1 } } },
    });
    expect(unknownField.status).toBe(400);
    expect(JSON.stringify(unknownField.body)).toMatch(/search\.filter/);
    const withSince = await send('createExport', { ...admin(tenant), body: { format: 'ndjson', since: tagged.id, search } });
    expect(withSince.status).toBe(400);
    expect(JSON.stringify(withSince.body)).toMatch(/search: an incremental export/);
  });

  it('exports what the customers own beside them: files of their activities and opportunities, every page of each', async () => {
    const tenant = uniqueTenant();
    const [ann, bob] = [
      String((await send('createCrmCustomer', { ...admin(tenant), body: { name: 'Ann', type: 'PERSON' } })).body.id),
      String((await send('createCrmCustomer', { ...admin(tenant), body: { name: 'Bob', type: 'PERSON' } })).body.id),
    ];
    await send('createCrmCustomer', { ...admin(tenant), body: { name: 'Cid', type: 'PERSON' } });
    for (let i = 0; i < 3; i++)
      expect((await send('createActivity', { ...admin(tenant), params: { id: ann }, body: { type: 'CALL', subject: `=Call ${i}` } })).status).toBe(201);
    expect((await send('createOpportunity', { ...admin(tenant), params: { id: bob }, body: { name: 'Deal', value: 10 } })).status).toBe(201);

    const created = await send('createExport', { ...admin(tenant), body: { format: 'ndjson', include: ['activities', 'opportunities'] } });
    expect(created.body.include).toEqual(['activities', 'opportunities']);
    await importsSettled();
    const done = (await send('getExport', { ...admin(tenant), params: { id: created.body.id } })).body;
    const byType = new Map<string, Record<string, unknown>[]>();
    for (const file of done.manifest.output as { type: string; url: string; count: number }[]) {
      const lines = gunzipSync(Buffer.from(await (await fetch(file.url)).arrayBuffer()))
        .toString('utf8')
        .split('\n')
        .filter(Boolean);
      expect(lines.length).toBe(file.count);
      byType.set(file.type, [...(byType.get(file.type) ?? []), ...lines.map((line) => JSON.parse(line) as Record<string, unknown>)]);
    }
    expect(byType.get('Customer')!.length).toBe(3);
    expect(byType.get('Activity')!.map((a) => a.customerId)).toEqual([ann, ann, ann]);
    expect(byType.get('Opportunity')).toMatchObject([{ customerId: bob, name: 'Deal', value: 10 }]);
    expect(done.manifest.count).toBe(3);

    // As CSV: an activity file's header names its columns, a formula escaped.
    const csv = (await runExport(tenant, 'csv')).files.join('');
    expect(csv).not.toContain('Call 0');
    const withOwned = await send('createExport', { ...admin(tenant), body: { format: 'csv', include: ['activities'] } });
    await importsSettled();
    const csvDone = (await send('getExport', { ...admin(tenant), params: { id: withOwned.body.id } })).body;
    const activityFiles = (csvDone.manifest.output as { type: string; url: string }[]).filter((file) => file.type === 'Activity');
    const text = gunzipSync(Buffer.from(await (await fetch(activityFiles[0]!.url)).arrayBuffer())).toString('utf8');
    expect(text.split('\n')[0]).toMatch(/^id,customerId,externalId,type,subject,/);
    expect(text).toContain(",'=Call 0,");

    // Incrementally: a customer whose activity changed (Ann: one deleted) comes with all it owns as it is now; one that did not
    // change (Cid), or whose owned records did not (Bob), is not written.
    const anns = (await send('listActivities', { ...admin(tenant), params: { id: ann } })).body as { id: string }[];
    expect((await send('deleteActivity', { ...admin(tenant), params: { id: ann, activityId: anns[0]!.id } })).status).toBe(204);
    const since = await send('createExport', {
      ...admin(tenant),
      body: { format: 'ndjson', since: created.body.id, include: ['activities', 'opportunities'] },
    });
    expect(since.status, JSON.stringify(since.body)).toBe(201);
    await importsSettled();
    const sinceDone = (await send('getExport', { ...admin(tenant), params: { id: since.body.id } })).body;
    const sinceByType = new Map<string, Record<string, unknown>[]>();
    for (const file of sinceDone.manifest.output as { type: string; url: string }[]) {
      const lines = gunzipSync(Buffer.from(await (await fetch(file.url)).arrayBuffer()))
        .toString('utf8')
        .split('\n')
        .filter(Boolean);
      sinceByType.set(file.type, [...(sinceByType.get(file.type) ?? []), ...lines.map((line) => JSON.parse(line) as Record<string, unknown>)]);
    }
    expect(sinceByType.get('Customer')!.map((c) => c.id)).toEqual([ann]);
    expect(
      sinceByType
        .get('Activity')!
        .map((a) => a.id)
        .sort(),
    ).toEqual(
      anns
        .slice(1)
        .map((a) => a.id)
        .sort(),
    );
    expect(sinceByType.get('Opportunity')).toBeUndefined();
  });
});
