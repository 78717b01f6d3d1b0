/**
 * Activities and opportunities through bulk import (issue 27), against DynamoDB Local and the local
 * S3: a mixed file of customers, activities and opportunities, each row naming its customer by
 * id, external id or the line of the file that brings it (customers written first); dates and enum
 * words read as the mapping says; every line accounted for, a re-run changing nothing, a revert
 * deleting what the import created and putting back what it changed. And the API under it: an
 * activity's and opportunity's external id (unique among its customer's), their idempotent creates
 * and their deletes.
 */
import { describe, expect, it } from 'vitest';
import { uniqueTenant } from '../../lib/local/direct-call.ts';
import { send } from '../support/send.ts';
import { admin, resultsOf, revertAndWait, runImport } from '../support/import-jobs.ts';

const MAPPING = {
  Record: 'record',
  Ext: 'externalId',
  Name: 'name',
  Email: 'email',
  'Customer line': 'customerLine',
  'Customer ext': 'customerExternalId',
  'Customer id': 'customerId',
  Kind: 'type',
  Subject: 'subject',
  Due: { field: 'dueDate', dateFormat: 'dd/MM/yyyy' },
  Priority: { field: 'priority', values: { Hoch: 'HIGH', Niedrig: 'LOW' } },
  Value: 'value',
};

/** A mixed file: line 1 the header; `existing` is a customer made before the import. */
const mixedFile = (existing: string) =>
  [
    'Record,Ext,Name,Email,Customer line,Customer ext,Customer id,Kind,Subject,Due,Priority,Value',
    'customer,C-1,Acme,acme@acme.example,,,,ORGANIZATION,,,,', // 2: created
    'activity,A-1,,,2,,,CALL,Kick-off call,05/01/2027,Hoch,', // 3: of line 2's customer
    'opportunity,O-1,Big deal,,,C-1,,,,,,50000', // 4: of the customer with external id C-1 (line 2's)
    `activity,A-2,,,,,${existing},MEETING,Review,31/12/2026,Niedrig,`, // 5: of the existing customer, by id
    'customer,C-2,Bad,not-an-email,,,,PERSON,,,,', // 6: fails
    'activity,A-3,,,6,,,CALL,Call bad,,,', // 7: its customer's line failed
    'activity,A-4,,,3,,,CALL,Not a customer,,,', // 8: line 3 is no customer
    'activity,A-5,,,2,,,CALL,Bad date,32/13/2026,,', // 9: a date not in the format
    'task,T-1,,,2,,,CALL,What is this,,,', // 10: no such record
    'activity,A-1,,,2,,,CALL,Twice,,,', // 11: line 3's key again
    'activity,A-6,,,,EX-0,,NOTE,By external id,,,', // 12: of the existing customer, by its external id
    '',
  ].join('\n');

const activitiesOf = async (tenant: string, id: string) =>
  (await send('listActivities', { ...admin(tenant), params: { id } })).body as Record<string, unknown>[];

describe('importing activities and opportunities', () => {
  it('imports a mixed file: customers first, then the rows that name them by id, external id or line; dates and enum words as mapped; every line accounted for', async () => {
    const tenant = uniqueTenant();
    const existing = await send('createCrmCustomer', { ...admin(tenant), body: { name: 'Existing Co', type: 'ORGANIZATION', externalId: 'EX-0' } });
    expect(existing.status).toBe(201);
    const existingId = String(existing.body.id);
    const file = mixedFile(existingId);

    const job = await runImport(tenant, { object: 'mixed', mode: 'upsert', matchKey: 'externalId', format: 'csv', mapping: MAPPING }, file);
    expect(job.status).toBe('completed');
    expect(job.counts).toEqual({ read: 11, created: 5, updated: 0, unchanged: 0, failed: 6, skipped: 0, reverted: 0 });
    const results = await resultsOf(tenant, job.id);
    expect(results.map((r) => [r.line, r.outcome, r.code])).toEqual([
      [2, 'created', undefined],
      [3, 'created', undefined],
      [4, 'created', undefined],
      [5, 'created', undefined],
      [6, 'failed', 'INVALID'],
      [7, 'failed', 'REFERENCE_FAILED'],
      [8, 'failed', 'INVALID_REFERENCE'],
      [9, 'failed', 'INVALID_FORMAT'],
      [10, 'failed', 'RECORD_TYPE'],
      [11, 'failed', 'DUPLICATE_KEY'],
      [12, 'created', undefined],
    ]);
    const byLine = new Map(results.map((r) => [r.line, r]));
    expect(byLine.get(7)!.message).toMatch(/Line 6/);
    expect(byLine.get(9)).toMatchObject({ field: 'dueDate', column: 'Due' });
    expect(byLine.get(9)!.message).toMatch(/dd\/MM\/yyyy/);
    expect(byLine.get(10)).toMatchObject({ column: 'Record' });
    expect(byLine.get(11)!.message).toMatch(/^Line 3 has the same externalId/);

    // What was written: line 3's activity under line 2's customer, the date as UTC midnight, the enum word translated.
    const acme = String(byLine.get(2)!.id);
    const [kickOff] = await activitiesOf(tenant, acme);
    expect(kickOff).toMatchObject({
      id: byLine.get(3)!.id,
      externalId: 'A-1',
      type: 'CALL',
      subject: 'Kick-off call',
      dueDate: '2027-01-05T00:00:00.000Z',
      priority: 'HIGH',
    });
    const deals = (await send('listOpportunities', { ...admin(tenant), params: { id: acme } })).body as Record<string, unknown>[];
    expect(deals).toMatchObject([{ id: byLine.get(4)!.id, externalId: 'O-1', name: 'Big deal', value: 50000 }]);
    const onExisting = await activitiesOf(tenant, existingId);
    expect(onExisting.map((a) => [a.externalId, a.priority ?? null]).sort()).toEqual([
      ['A-2', 'LOW'],
      ['A-6', 'MEDIUM'],
    ]);

    // The same file again: nothing changes — customers matched by external id, activities and opportunities by theirs.
    const again = await runImport(tenant, { object: 'mixed', mode: 'upsert', matchKey: 'externalId', format: 'csv', mapping: MAPPING }, file);
    expect(again.counts).toEqual({ read: 11, created: 0, updated: 0, unchanged: 5, failed: 6, skipped: 0, reverted: 0 });
    expect((await activitiesOf(tenant, existingId)).length).toBe(2);

    // Reverted: the activities and the opportunity go before the customer line 2 created, the existing customer stays.
    const revert = await revertAndWait(tenant, job.id);
    expect(revert.status).toBe('completed');
    expect(revert.counts).toMatchObject({ read: 11, reverted: 5, unchanged: 6, skipped: 0, failed: 0 });
    expect((await send('getCrmCustomer', { ...admin(tenant), params: { id: acme } })).status).toBe(404);
    expect(await activitiesOf(tenant, existingId)).toEqual([]);
    expect((await send('getCrmCustomer', { ...admin(tenant), params: { id: existingId } })).status).toBe(200);
  });

  it('updates an activity and an opportunity matched by their external ids, and a revert puts them back', async () => {
    const tenant = uniqueTenant();
    const customer = await send('createCrmCustomer', { ...admin(tenant), body: { name: 'Kept Ltd', type: 'ORGANIZATION', externalId: 'K-1' } });
    const id = String(customer.body.id);
    const activity = await send('createActivity', { ...admin(tenant), params: { id }, body: { type: 'CALL', subject: 'First', externalId: 'A-9' } });
    expect(activity.status).toBe(201);
    const deal = await send('createOpportunity', { ...admin(tenant), params: { id }, body: { name: 'Deal', externalId: 'O-9', value: 10 } });
    expect(deal.status).toBe(201);

    const ndjson = [
      JSON.stringify({ customerExternalId: 'K-1', externalId: 'A-9', type: 'CALL', subject: 'Renamed' }),
      JSON.stringify({ customerExternalId: 'K-1', externalId: 'A-404', type: 'CALL', subject: 'Not there' }),
      JSON.stringify({ customerExternalId: 'NOPE', externalId: 'A-9', type: 'CALL', subject: 'No customer' }),
      '',
    ].join('\n');
    const job = await runImport(tenant, { object: 'activities', mode: 'update', format: 'ndjson' }, ndjson);
    expect(job.counts).toMatchObject({ read: 3, updated: 1, failed: 2 });
    expect((await resultsOf(tenant, job.id)).map((r) => [r.line, r.outcome, r.code])).toEqual([
      [1, 'updated', undefined],
      [2, 'failed', 'NOT_FOUND'],
      [3, 'failed', 'NOT_FOUND'],
    ]);
    const deals = await runImport(
      tenant,
      { object: 'opportunities', mode: 'upsert', format: 'csv' },
      `customerId,externalId,name,value\n${id},O-9,Deal,2500\n`,
    );
    expect(deals.counts).toMatchObject({ read: 1, updated: 1 });
    expect((await send('listOpportunities', { ...admin(tenant), params: { id } })).body).toMatchObject([{ value: 2500 }]);
    expect((await activitiesOf(tenant, id))[0]).toMatchObject({ subject: 'Renamed' });

    expect((await revertAndWait(tenant, job.id)).counts).toMatchObject({ reverted: 1 });
    expect((await revertAndWait(tenant, deals.id)).counts).toMatchObject({ reverted: 1 });
    expect((await activitiesOf(tenant, id))[0]).toMatchObject({ subject: 'First' });
    expect((await send('listOpportunities', { ...admin(tenant), params: { id } })).body).toMatchObject([{ value: 10 }]);
  });

  it('refers by line across chunks (a validation: every row checked, nothing written)', async () => {
    const tenant = uniqueTenant();
    const rows = ['record,externalId,name,customerLine,type,subject'];
    for (let i = 1; i <= 1000; i++) rows.push(`customer,C-${i},${i === 500 ? '' : `Customer ${i}`},,PERSON,`);
    rows.push(
      'activity,A-1,,2,CALL,Of the first',
      'activity,A-2,,1001,CALL,Of the last',
      'activity,A-3,,501,CALL,Of a bad one',
      'activity,A-4,,5000,CALL,Past the end',
      '',
    );
    const job = await runImport(tenant, { object: 'mixed', mode: 'validate', format: 'csv' }, rows.join('\n'));
    expect(job.status).toBe('completed');
    expect(job.chunks).toBe(2);
    const last = (await resultsOf(tenant, job.id)).slice(-4);
    expect(last.map((r) => [r.line, r.outcome, r.code])).toEqual([
      [1002, 'skipped', 'VALID'],
      [1003, 'skipped', 'VALID'],
      [1004, 'failed', 'REFERENCE_FAILED'],
      [1005, 'failed', 'INVALID_REFERENCE'],
    ]);
    expect((await send('listCrmCustomers', { ...admin(tenant), query: {} })).body).toEqual([]);
  });
});

describe('activities and opportunities: external ids, idempotent creates, deletes', () => {
  it('keeps an external id unique among a customer’s activities, replays a create by its Idempotency-Key, and deletes with If-Match', async () => {
    const tenant = uniqueTenant();
    const id = String((await send('createCrmCustomer', { ...admin(tenant), body: { name: 'Owner', type: 'PERSON' } })).body.id);
    const other = String((await send('createCrmCustomer', { ...admin(tenant), body: { name: 'Other', type: 'PERSON' } })).body.id);
    const body = { type: 'TASK', subject: 'Send the offer', externalId: 'X-1' };
    const first = await send('createActivity', { ...admin(tenant), params: { id }, body, headers: { 'idempotency-key': 'k-1' } });
    expect(first.status).toBe(201);
    const replay = await send('createActivity', { ...admin(tenant), params: { id }, body, headers: { 'idempotency-key': 'k-1' } });
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(first.body.id);
    const taken = await send('createActivity', { ...admin(tenant), params: { id }, body });
    expect(taken.status).toBe(409);
    expect(taken.body.detail).toContain(String(first.body.id));
    // Another customer's activity may carry it; so may an opportunity of the same customer.
    expect((await send('createActivity', { ...admin(tenant), params: { id: other }, body })).status).toBe(201);
    expect((await send('createOpportunity', { ...admin(tenant), params: { id }, body: { name: 'Offer', externalId: 'X-1' } })).status).toBe(201);
    // Not changed by a PATCH.
    expect((await send('updateActivity', { ...admin(tenant), params: { id, activityId: first.body.id }, body: { externalId: 'X-2' } })).status).toBe(400);

    const activityId = String(first.body.id);
    expect((await send('deleteActivity', { ...admin(tenant), params: { id, activityId }, headers: { 'if-match': '"7"' } })).status).toBe(412);
    expect((await send('deleteActivity', { ...admin(tenant), params: { id, activityId }, headers: { 'if-match': first.headers.etag! } })).status).toBe(204);
    expect((await send('deleteActivity', { ...admin(tenant), params: { id, activityId } })).status).toBe(404);
    expect(await activitiesOf(tenant, id)).toEqual([]);
    // Its external id is free again.
    expect((await send('createActivity', { ...admin(tenant), params: { id }, body })).status).toBe(201);
    const deal = await send('createOpportunity', { ...admin(tenant), params: { id }, body: { name: 'Gone' } });
    expect((await send('deleteOpportunity', { ...admin(tenant), params: { id, opportunityId: deal.body.id } })).status).toBe(204);
  });
});
