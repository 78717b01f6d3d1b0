/**
 * Bulk import (issue 27) through the real handlers against DynamoDB Local and the local S3
 * (s3rver): a job is created, its file uploaded through the presigned part URL it answers, started,
 * and run in this process as the state machine's steps; every line gets an outcome, a re-run of the
 * same file changes nothing, a validation job writes nothing, rows match by id, external id,
 * e-mail or a unique custom field, a key held twice in a file fails naming the first line, and
 * files it cannot read fail the job naming why and where.
 */
import { describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.IMPORT_PROGRESS_SECONDS = '0';
});

import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../functions/storage/table/db.ts';
import { keys } from '../../functions/storage/table/keys.ts';
import { uniqueTenant } from '../../lib/local/direct-call.ts';
import { send } from '../support/send.ts';
import { admin, resultsOf, revertAndWait, runImport } from '../support/import-jobs.ts';
import { IMPORT_LIMITS } from '../../functions/domain/imports.ts';
import { releaseImportSlot, takeImportSlot } from '../../functions/storage/imports/import-jobs.ts';
import { importsSettled } from '../../lib/local/imports-local.ts';
import { recordRequests } from '../../lib/local/request-recorder.ts';
import { tenantCustomerCount } from '../../functions/storage/customers/customer-lists.ts';

/** A job's summary events in its outbox, in the order written: type, sequence, status and counts in the event. */
const jobEvents = async (tenant: string, id: string) => {
  const page = await db.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
      ExpressionAttributeValues: { ':pk': keys.importJob(tenant, id).pk, ':event': 'EVENT#' },
    }),
  );
  return (page.Items ?? [])
    .map(
      (item) =>
        item.detail as { eventType: string; sequence: number; correlationId: string; data: { import: { status: string; counts: Record<string, number> } } },
    )
    .sort((a, b) => a.sequence - b.sequence);
};

const CSV = [
  'Name,E-mail,Kind,Tier,Tags,Notes',
  'Acme Bank,ops@acme.example,ORGANIZATION,gold,vip;b2b,first',
  '"Brown, Adam",adam@brown.example,PERSON,silver,,"a note',
  'over two lines"',
  'Broken Mail,not-an-email,PERSON,gold,,',
  'Short Row,short@example.com',
  'Carla Díaz,carla@diaz.example,PERSON,platinum,,',
  'Dan Evans,dan@evans.example,ROBOT,,,',
  'Eve Fox,eve@fox.example,PERSON,,churn-risk,',
  '',
].join('\r\n');
const MAPPING = { Name: 'name', 'E-mail': 'email', Kind: 'type', Tier: 'customFields.tier', Tags: 'tags' };

describe('import jobs', () => {
  it('imports a CSV file, accounts for every line, and a re-run of it changes nothing', async () => {
    const tenant = uniqueTenant();
    const field = await send('createField', {
      ...admin(tenant),
      params: { object: 'customer' },
      body: { key: 'tier', label: 'Tier', type: 'enum', options: ['gold', 'silver'].map((key) => ({ key, label: key })) },
    });
    expect(field.status).toBe(201);
    const job = await runImport(tenant, { mode: 'upsert', matchKey: 'email', format: 'csv', mapping: MAPPING }, CSV);
    expect(job.status).toBe('completed');
    expect(job.counts).toEqual({ read: 7, created: 3, updated: 0, unchanged: 0, failed: 4, skipped: 0, reverted: 0 });
    const failed = await resultsOf(tenant, job.id, 'failed');
    // Lines are physical: the quoted note spans lines 3 and 4, so the next row is line 5.
    expect(failed.map((r) => [r.line, r.code, r.column])).toEqual([
      [5, 'INVALID', 'E-mail'],
      [6, 'COLUMN_COUNT', undefined],
      [7, 'INVALID', 'Tier'],
      [8, 'INVALID', 'Kind'],
    ]);
    const all = await resultsOf(tenant, job.id);
    expect(all.map((r) => r.line)).toEqual([2, 3, 5, 6, 7, 8, 9]);
    // The same results as CSV, a page at a time (the cursor in X-Next-Cursor), a message with a comma quoted.
    const csvPage = await send('listImportResults', {
      ...admin(tenant),
      params: { id: job.id },
      query: { limit: '3', outcome: 'failed' },
      headers: { accept: 'text/csv' },
    });
    expect(csvPage.status).toBe(200);
    expect(csvPage.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...csvLines] = String(csvPage.body).trimEnd().split('\r\n');
    expect(header).toBe('line,outcome,id,code,field,column,message');
    expect(csvLines.map((line) => line.split(',').slice(0, 2))).toEqual([
      ['5', 'failed'],
      ['6', 'failed'],
      ['7', 'failed'],
    ]);
    const csvNext = await send('listImportResults', {
      ...admin(tenant),
      params: { id: job.id },
      query: { limit: '3', outcome: 'failed', cursor: csvPage.headers['x-next-cursor']! },
      headers: { accept: 'text/csv' },
    });
    expect(
      String(csvNext.body)
        .trimEnd()
        .split('\r\n')
        .slice(1)
        .map((line) => line.split(',')[0]),
    ).toEqual(['8']);
    const acme = all.find((r) => r.line === 2)!;
    const customer = await send('getCrmCustomer', { ...admin(tenant), params: { id: String(acme.id) } });
    expect(customer.body).toMatchObject({
      name: 'Acme Bank',
      email: 'ops@acme.example',
      type: 'ORGANIZATION',
      tags: ['b2b', 'vip'],
      customFields: { tier: 'gold' },
    });

    // The same file again: every row it wrote is unchanged, the bad ones fail again.
    const again = await runImport(tenant, { mode: 'upsert', matchKey: 'email', format: 'csv', mapping: MAPPING }, CSV);
    expect(again.counts, JSON.stringify(await resultsOf(tenant, again.id))).toEqual({
      read: 7,
      created: 0,
      updated: 0,
      unchanged: 3,
      failed: 4,
      skipped: 0,
      reverted: 0,
    });
    // A changed value updates only that customer.
    const changed = await runImport(
      tenant,
      { mode: 'upsert', matchKey: 'email', format: 'csv', mapping: MAPPING },
      CSV.replace('ops@acme.example,ORGANIZATION,gold', 'ops@acme.example,ORGANIZATION,silver'),
    );
    expect(changed.counts).toMatchObject({ updated: 1, unchanged: 2, failed: 4 });
    expect((await send('getCrmCustomer', { ...admin(tenant), params: { id: String(acme.id) } })).body.customFields).toEqual({ tier: 'silver' });
    // Create-only skips what exists.
    const createOnly = await runImport(tenant, { mode: 'create', matchKey: 'email', format: 'csv', mapping: MAPPING }, CSV);
    expect(createOnly.counts).toMatchObject({ created: 0, skipped: 3, failed: 4 });

    // Summary events, not one per row: started (rows counted), progress (here after every chunk), completed with the counts.
    const events = await jobEvents(tenant, job.id);
    expect(events.map((e) => [e.eventType, e.sequence, e.data.import.status])).toEqual([
      ['ImportStarted', 1, 'running'],
      ['ImportProgress', 2, 'running'],
      ['ImportCompleted', 3, 'completed'],
    ]);
    expect(events[2]!.data.import.counts).toEqual({ read: 7, created: 3, updated: 0, unchanged: 0, failed: 4, skipped: 0, reverted: 0 });
    expect(events[1]!.correlationId).toBe(`import-${job.id}`);
  }, 60_000);

  it('reverts an import: what it created is deleted, what it updated is put back, unless changed since (listed)', async () => {
    const tenant = uniqueTenant();
    await send('createField', {
      ...admin(tenant),
      params: { object: 'customer' },
      body: { key: 'tier', label: 'Tier', type: 'enum', options: ['gold', 'silver'].map((key) => ({ key, label: key })) },
    });
    const spec = { mode: 'upsert', matchKey: 'email', format: 'csv', mapping: MAPPING };
    const first = await runImport(tenant, spec, CSV);
    expect(first.counts).toMatchObject({ created: 3, failed: 4 });
    const ids = Object.fromEntries((await resultsOf(tenant, first.id, 'created')).map((r) => [r.line, String(r.id)]));
    // A second import changes Acme's tier …
    const second = await runImport(tenant, spec, CSV.replace('ops@acme.example,ORGANIZATION,gold', 'ops@acme.example,ORGANIZATION,silver'));
    expect(second.counts).toMatchObject({ updated: 1, unchanged: 2 });
    // … and reverting it puts the tier back: one line reverted, the rest had nothing to undo.
    const revertSecond = await revertAndWait(tenant, second.id);
    expect(revertSecond).toMatchObject({ status: 'completed', mode: 'revert', revertOf: second.id });
    expect(revertSecond.counts).toEqual({ read: 7, created: 0, updated: 0, unchanged: 6, failed: 0, skipped: 0, reverted: 1 });
    expect((await send('getCrmCustomer', { ...admin(tenant), params: { id: ids[2]! } })).body.customFields).toEqual({ tier: 'gold' });

    // Someone changes Carla after the first import: reverting it deletes Adam, and lists Carla as changed since — and Acme,
    // written since by the second import and its revert (a revert goes by the version the import left, not by values).
    expect((await send('updateCrmCustomer', { ...admin(tenant), params: { id: ids[9]! }, body: { industry: 'Retail' } })).status).toBe(200);
    const revertFirst = await revertAndWait(tenant, first.id);
    expect(revertFirst.counts).toEqual({ read: 7, created: 0, updated: 0, unchanged: 4, failed: 0, skipped: 2, reverted: 1 });
    expect((await resultsOf(tenant, revertFirst.id, 'skipped')).map((r) => [r.line, r.id, r.code])).toEqual([
      [2, ids[2], 'CHANGED_SINCE'],
      [9, ids[9], 'CHANGED_SINCE'],
    ]);
    expect((await send('getCrmCustomer', { ...admin(tenant), params: { id: ids[3]! } })).status).toBe(404);
    const left = await send('listCrmCustomers', { ...admin(tenant) });
    expect(left.body.map((c: { id: string }) => c.id).sort()).toEqual([ids[2], ids[9]].sort());
    expect((await jobEvents(tenant, revertFirst.id)).map((e) => e.eventType)).toEqual(['ImportStarted', 'ImportProgress', 'ImportCompleted']);

    // One revert per import: asked again, it answers that job; a validation has nothing to revert.
    const again = await send('revertImport', { ...admin(tenant), params: { id: first.id } });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ id: revertFirst.id, status: 'completed' });
    const validation = await runImport(tenant, { ...spec, mode: 'validate' }, CSV);
    expect((await send('revertImport', { ...admin(tenant), params: { id: validation.id } })).status).toBe(409);
    expect((await send('revertImport', { ...admin(tenant), params: { id: revertFirst.id } })).status).toBe(409);
  }, 60_000);

  it("changes an existing customer's status, owner, next action and tags through their own operations, and a revert puts them back", async () => {
    const tenant = uniqueTenant();
    const spec = { mode: 'upsert', matchKey: 'externalId', format: 'csv' };
    const first = await runImport(tenant, spec, 'externalId,name,type,tags\nX-1,Pipeline Co,ORGANIZATION,old\nX-2,Lost Co,ORGANIZATION,\n');
    const [one, two] = (await resultsOf(tenant, first.id)).map((r) => String(r.id)) as [string, string];
    const file = [
      'externalId,name,crmStatus,ownerId,nextAction,nextActionDueDate,tags',
      'X-1,Pipeline Co,PROSPECT,owner-7,Call back,2031-05-01T09:00:00Z,old;vip;b2b',
      // LEAD cannot move to CUSTOMER: the line fails with the pipeline's own 409, after its new name was written (a revert undoes that too).
      'X-2,Lost Company,CUSTOMER,owner-8,,,',
      '',
    ].join('\n');
    const changed = await runImport(tenant, spec, file);
    expect(changed.counts).toMatchObject({ read: 2, updated: 1, failed: 1 });
    const [failed] = await resultsOf(tenant, changed.id, 'failed');
    expect(failed).toMatchObject({ line: 3, code: 'CONFLICT' });
    expect(failed!.message).toMatch(/1 of 3 changes were made before it/);
    expect((await send('getCrmCustomer', { ...admin(tenant), params: { id: two } })).body).toMatchObject({ name: 'Lost Company', crmStatus: 'LEAD' });
    expect((await send('getCrmCustomer', { ...admin(tenant), params: { id: one } })).body).toMatchObject({
      crmStatus: 'PROSPECT',
      ownerId: 'owner-7',
      nextAction: 'Call back',
      nextActionDueDate: '2031-05-01T09:00:00Z',
      tags: ['b2b', 'old', 'vip'],
    });
    // The same file again: nothing to change for the first line; the second fails as before.
    expect((await runImport(tenant, spec, file)).counts).toMatchObject({ unchanged: 1, failed: 1 });
    const reverted = await revertAndWait(tenant, changed.id);
    expect(reverted.counts).toMatchObject({ read: 2, reverted: 2 });
    const back = (await send('getCrmCustomer', { ...admin(tenant), params: { id: one } })).body;
    expect(back).toMatchObject({ crmStatus: 'LEAD', tags: ['old'] });
    expect(back.ownerId).toBeUndefined();
    expect(back.nextAction).toBeUndefined();
    expect((await send('getCrmCustomer', { ...admin(tenant), params: { id: two } })).body).toMatchObject({ name: 'Lost Co' });
  }, 60_000);

  it('counts the customers a chunk creates in the tenant’s count once, with the chunk’s counts — one summed update a shard, none a row', async () => {
    const tenant = uniqueTenant();
    const rows = Array.from({ length: 40 }, (_, i) => `Counted ${i},counted${i}@count.example,PERSON`);
    const file = `name,email,type\n${rows.join('\n')}\n`;
    let job: Awaited<ReturnType<typeof runImport>> | undefined;
    const requests = await recordRequests(async () => {
      job = await runImport(tenant, { mode: 'upsert', matchKey: 'email', format: 'csv' }, file);
    });
    expect(job!.counts).toMatchObject({ read: 40, created: 40 });
    const countShard = `"${keys.customerCount(tenant, 0).pk.replace(/#0$/, '#')}`;
    const touching = requests.filter((r) => r.write && r.key.includes(countShard));
    // One transaction touched the count shards: the chunk's, with its marker (no create of a row did).
    expect(touching).toHaveLength(1);
    expect(touching[0]!.key).toContain(keys.importChunk(tenant, job!.id, 0).pk);
    expect(await tenantCustomerCount(tenant)).toBe(40);
    // Run again: nothing created, nothing added; a live create counts as ever; the revert's deletes take the imported ones away.
    expect((await runImport(tenant, { mode: 'upsert', matchKey: 'email', format: 'csv' }, file)).counts).toMatchObject({ unchanged: 40 });
    expect((await send('createCrmCustomer', { ...admin(tenant), body: { name: 'Live One', type: 'PERSON' } })).status).toBe(201);
    expect(await tenantCustomerCount(tenant)).toBe(41);
    expect((await revertAndWait(tenant, job!.id)).counts).toMatchObject({ reverted: 40 });
    expect(await tenantCustomerCount(tenant)).toBe(1);
  });

  it('validates without writing anything', async () => {
    const tenant = uniqueTenant();
    const job = await runImport(tenant, { mode: 'validate', matchKey: 'email', format: 'csv', mapping: { ...MAPPING, Tier: 'industry' } }, CSV);
    expect(job.status).toBe('completed');
    expect(job.counts).toEqual({ read: 7, created: 0, updated: 0, unchanged: 0, failed: 3, skipped: 4, reverted: 0 });
    const listed = await send('listCrmCustomers', { ...admin(tenant) });
    expect(listed.body).toEqual([]);
  });

  it('reads NDJSON a line a row, and names the lines it cannot use', async () => {
    const tenant = uniqueTenant();
    const file = [
      JSON.stringify({ name: 'Nd One', type: 'PERSON', email: 'one@nd.example' }),
      '{"name": "broken"',
      '[1, 2]',
      '',
      JSON.stringify({ name: 'Nd Two', type: 'PERSON', email: 'two@nd.example', customFields: { unknown: 1 } }),
      JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
      JSON.stringify({ name: 'Nd Three', type: 'ORGANIZATION' }),
    ].join('\n');
    const job = await runImport(tenant, { mode: 'create', matchKey: 'email', format: 'ndjson' }, file);
    expect(job.status).toBe('completed');
    expect(job.counts).toEqual({ read: 6, created: 2, updated: 0, unchanged: 0, failed: 4, skipped: 0, reverted: 0 });
    const failed = await resultsOf(tenant, job.id, 'failed');
    expect(failed.map((r) => [r.line, r.code])).toEqual([
      [2, 'INVALID_JSON'],
      [3, 'NOT_AN_OBJECT'],
      [5, 'INVALID'],
      [6, 'RECORD_TOO_LARGE'],
    ]);
  }, 60_000);

  it('fails a job whose file it cannot read, naming why and where', async () => {
    const tenant = uniqueTenant();
    const latin1 = Buffer.concat([Buffer.from('Name,E-mail\nok,ok@example.com\n'), Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x0a])]);
    const encoding = await runImport(tenant, { mode: 'create', matchKey: 'email', format: 'csv' }, latin1);
    expect(encoding).toMatchObject({ status: 'failed', failure: { code: 'ENCODING', line: 3 } });
    const malformed = await runImport(tenant, { mode: 'create', matchKey: 'email', format: 'csv' }, 'name,email\n"unclosed,a@b.example\nx,y\n');
    expect(malformed).toMatchObject({ status: 'failed', failure: { code: 'MALFORMED_CSV' } });
    const bomb = await runImport(tenant, { mode: 'create', matchKey: 'email', format: 'csv' }, `${Array.from({ length: 600 }, (_, i) => `c${i}`).join(',')}\n`);
    expect(bomb).toMatchObject({ status: 'failed', failure: { code: 'TOO_MANY_COLUMNS', line: 1 } });
    const bigger = await runImport(tenant, { mode: 'create', matchKey: 'email', format: 'csv' }, 'name\nA\nB\n', 5);
    expect(bigger).toMatchObject({ status: 'failed', failure: { code: 'FILE_LARGER_THAN_DECLARED' } });
    expect((await jobEvents(tenant, encoding.id)).map((e) => [e.eventType, e.sequence])).toEqual([['ImportFailed', 1]]);
    expect((await send('listCrmCustomers', { ...admin(tenant) })).body).toEqual([]);
  }, 60_000);

  it('cancels a job that has not ended, and only such a job', async () => {
    const tenant = uniqueTenant();
    const spec = { object: 'customers', mode: 'create', matchKey: 'email', format: 'csv', bytes: 20 };
    const created = await send('createImport', { ...admin(tenant), body: spec });
    const stale = await send('cancelImport', { ...admin(tenant), params: { id: created.body.id }, headers: { 'if-match': '"9"' } });
    expect(stale.status).toBe(412);
    const cancelled = await send('cancelImport', { ...admin(tenant), params: { id: created.body.id } });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(202);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', finished: expect.any(String) });
    // Cancelled for good: a second cancel is refused, a start runs nothing.
    const again = await send('cancelImport', { ...admin(tenant), params: { id: created.body.id } });
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/cancelled/);
    const started = await send('startImport', { ...admin(tenant), params: { id: created.body.id }, body: { parts: [{ partNumber: 1, etag: '"x"' }] } });
    expect(started.body.status).toBe('cancelled');
    expect((await jobEvents(tenant, created.body.id)).map((e) => [e.eventType, e.sequence, e.data.import.status])).toEqual([
      ['ImportCancelled', 1, 'cancelled'],
    ]);
    const results = await send('listImportResults', { ...admin(tenant), params: { id: created.body.id } });
    expect(results.body).toEqual({ results: [] });
    const done = await runImport(tenant, { mode: 'create', matchKey: 'email', format: 'csv' }, 'name,type\nDone Co,ORGANIZATION\n');
    expect(done.status).toBe('completed');
    expect((await send('cancelImport', { ...admin(tenant), params: { id: done.id } })).status).toBe(409);
  }, 30_000);

  it('matches by external id and by a unique custom field; a key held twice in one file fails naming the first line, never merged', async () => {
    const tenant = uniqueTenant();
    const field = await send('createField', {
      ...admin(tenant),
      params: { object: 'customer' },
      body: { key: 'national_id', label: 'National id', type: 'string', unique: true },
    });
    expect(field.status).toBe(201);
    const file = [
      'Ext,Name,National,Type',
      'SF-1,One,NL001,PERSON',
      'SF-2,Two,NL002,PERSON',
      'SF-1,One Again,NL003,PERSON',
      'SF-3,Three,NL006,PERSON',
      ',Keyless,NL004,PERSON',
      'SF-1,One Thrice,NL005,PERSON',
      '',
    ].join('\n');
    const mapping = { Ext: 'externalId', Name: 'name', National: 'customFields.national_id', Type: 'type' };
    const byExternal = await runImport(tenant, { mode: 'upsert', matchKey: 'externalId', format: 'csv', mapping }, file);
    // The keyless row is created (an upsert creates what it cannot match); both later SF-1 rows fail, naming line 2.
    expect(byExternal.counts).toMatchObject({ read: 6, created: 4, failed: 2 });
    const failed = await resultsOf(tenant, byExternal.id, 'failed');
    expect(failed.map((r) => [r.line, r.code, r.column])).toEqual([
      [4, 'DUPLICATE_KEY', 'Ext'],
      [7, 'DUPLICATE_KEY', 'Ext'],
    ]);
    expect(failed[0]!.message).toMatch(/^Line 2 has the same externalId/);
    expect(failed[1]!.message).toMatch(/^Line 2 /);
    const one = (await resultsOf(tenant, byExternal.id, 'created')).find((r) => r.line === 2)!;
    expect((await send('getCrmCustomer', { ...admin(tenant), params: { id: String(one.id) } })).body).toMatchObject({ name: 'One', externalId: 'SF-1' });

    // By the unique custom field: the rows find the customers the first job made; a changed name updates, the duplicate NL002 row fails first.
    const byNational = await runImport(
      tenant,
      { mode: 'update', matchKey: 'customFields.national_id', format: 'csv', mapping: { National: 'customFields.national_id', Name: 'name' } },
      'National,Name\nnl001,Lower case is another value\nNL001,Uno\nNL002,Two\nNL002,Dos\n',
    );
    expect(byNational.counts).toMatchObject({ read: 4, updated: 1, unchanged: 1, failed: 2 });
    expect((await resultsOf(tenant, byNational.id, 'failed')).map((r) => [r.line, r.code])).toEqual([
      [2, 'NOT_FOUND'],
      [5, 'DUPLICATE_KEY'],
    ]);
    expect((await send('getCrmCustomer', { ...admin(tenant), params: { id: String(one.id) } })).body.name).toBe('Uno');
    const notUnique = await send('createImport', {
      ...admin(tenant),
      body: { object: 'customers', mode: 'upsert', matchKey: 'customFields.nothing_here', format: 'csv', bytes: 10 },
    });
    expect(notUnique.status).toBe(400);
    expect(notUnique.body.detail).toMatch(/unique custom field/);
  }, 60_000);

  it('finds a duplicate whose first row is in another chunk (a validation: it checks every row, writes nothing)', async () => {
    const tenant = uniqueTenant();
    const rows = Array.from({ length: 1004 }, (_, i) => `Row ${i},row${i}@dup.example,PERSON`);
    rows.push('Late Copy,ROW0@dup.example,PERSON', 'Another Copy,row999@dup.example,PERSON');
    const job = await runImport(tenant, { mode: 'validate', matchKey: 'email', format: 'csv' }, `name,email,type\n${rows.join('\n')}\n`);
    expect(job).toMatchObject({ status: 'completed', chunks: 2 });
    expect(job.counts).toMatchObject({ read: 1006, skipped: 1004, failed: 2 });
    // Lines 1006 and 1007 (chunk 2) repeat lines 2 and 1001 (chunk 1); e-mail addresses compare without case.
    expect((await resultsOf(tenant, job.id, 'failed')).map((r) => [r.line, r.code, String(r.message).slice(0, 7)])).toEqual([
      [1006, 'DUPLICATE_KEY', 'Line 2 '],
      [1007, 'DUPLICATE_KEY', 'Line 10'],
    ]);
  }, 60_000);

  it('refuses a bad spec with a 400 naming the member, and another tenant’s job is not found', async () => {
    const tenant = uniqueTenant();
    for (const [body, said] of [
      [{ object: 'customers', mode: 'merge', matchKey: 'email', format: 'csv', bytes: 10 }, /mode/],
      [{ object: 'customers', mode: 'create', matchKey: 'email', format: 'csv', bytes: 0 }, /bytes/],
      [{ object: 'customers', mode: 'create', matchKey: 'email', format: 'csv', bytes: 10, mapping: { A: 'colour' } }, /mapping/],
      [{ object: 'customers', mode: 'create', matchKey: 'email', format: 'csv', bytes: 10, delimiter: ';;' }, /delimiter/],
    ] as const) {
      const refused = await send('createImport', { ...admin(tenant), body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(refused.body)).toMatch(said);
    }
    const created = await send('createImport', {
      ...admin(tenant),
      body: { object: 'customers', mode: 'create', matchKey: 'email', format: 'csv', bytes: 10 },
    });
    expect((await send('getImport', { ...admin(uniqueTenant()), params: { id: created.body.id } })).status).toBe(404);
    // The part URLs name this tenant's object alone, for 15 minutes.
    const url = new URL(created.body.upload.parts[0].url);
    expect(decodeURIComponent(url.pathname)).toContain(`/tenants/${tenant}/imports/${created.body.id}/upload`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('partNumber')).toBe('1');
  });

  it('runs at most the tenant’s chunk slots at once across its jobs: a job whose tenant holds them all waits, then runs', async () => {
    const tenant = uniqueTenant();
    // Every slot of the tenant held by other chunks (for an hour): no chunk of this tenant may write.
    const held: number[] = [];
    for (let i = 0; i < IMPORT_LIMITS.tenantChunkConcurrency; i++)
      held.push((await takeImportSlot(tenant, IMPORT_LIMITS.tenantChunkConcurrency, `other/${i}`, 3_600_000))!);
    expect(new Set(held).size).toBe(IMPORT_LIMITS.tenantChunkConcurrency);
    expect(await takeImportSlot(tenant, IMPORT_LIMITS.tenantChunkConcurrency, 'one-more', 3_600_000)).toBeUndefined();
    // Another tenant is not held back.
    const other = await runImport(uniqueTenant(), { mode: 'upsert', matchKey: 'email', format: 'csv' }, 'name,email,type\nFree,free@example.com,PERSON\n');
    expect(other.counts.created).toBe(1);

    const file = 'name,email,type\nOne,one@example.com,PERSON\nTwo,two@example.com,PERSON\n';
    const created = await send('createImport', {
      ...admin(tenant),
      body: { object: 'customers', mode: 'upsert', matchKey: 'email', format: 'csv', bytes: Buffer.byteLength(file) },
    });
    const put = await fetch(created.body.upload.parts[0].url, { method: 'PUT', body: file });
    const started = await send('startImport', {
      ...admin(tenant),
      params: { id: created.body.id },
      body: { parts: [{ partNumber: 1, etag: put.headers.get('etag')! }] },
    });
    expect(started.status).toBe(202);
    const job = async () => (await send('getImport', { ...admin(tenant), params: { id: created.body.id } })).body;
    while ((await job()).status !== 'running') {
      expect((await job()).status).toMatch(/queued|splitting|running/);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await job()).chunksDone).toBe(0);
    expect((await send('listCrmCustomers', { ...admin(tenant), query: {} })).body).toEqual([]);
    // One slot given back: the job runs and ends.
    await releaseImportSlot(tenant, held[0]!, 'other/0');
    await importsSettled();
    expect(await job()).toMatchObject({ status: 'completed', chunksDone: 1, counts: { read: 2, created: 2 } });
  }, 120_000);
});
