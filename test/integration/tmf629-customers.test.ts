import { describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { handler as createCustomer } from '../../functions/tmf629/create-customer.ts';
import { handler as retrieveCustomer } from '../../functions/tmf629/retrieve-customer.ts';
import { handler as listCustomer } from '../../functions/tmf629/list-customer.ts';
import { handler as patchCustomer } from '../../functions/tmf629/patch-customer.ts';
import { handler as deleteCustomer } from '../../functions/tmf629/delete-customer.ts';
import { tmf629 } from '../../functions/tmf629/operations.ts';
import { db, tableName } from '../../functions/storage/table/db.ts';
import { keys } from '../../functions/storage/table/keys.ts';
import { call, uniqueTenant } from '../../lib/local/direct-call.ts';
import { reconcileTenant } from '../../functions/search/reconcile.ts';
import { tmfCustomerProperties, tmfSchemaErrors } from '../support/tmf-schema.ts';

const moon = { name: 'Moon Football Club', engagedParty: { '@referredType': 'Organization', id: '500' } };

const create = (tenant: string, body: unknown = moon, headers: Record<string, string> = {}) =>
  call(createCustomer, tmf629.createCustomer, { tenant, body, headers });

const itemCollection = async (tenant: string, id: string) =>
  (
    await db.send(
      new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.customer(tenant, id).pk } }),
    )
  ).Items ?? [];

const expectValidCustomer = (customer: unknown) => {
  expect(tmfSchemaErrors('Customer', customer)).toEqual([]);
  expect(Object.keys(customer as object).filter((k) => !tmfCustomerProperties().includes(k))).toEqual([]);
};

describe('TMF629 customers against DynamoDB Local', () => {
  it('creates a customer: 201, Location = href, @type defaulted, valid against the official schema, event in the same collection', async () => {
    const tenant = uniqueTenant();
    const created = await create(tenant);
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(created.body.href);
    expect(created.body.href).toBe(`https://api.test/tmf-api/customerManagement/v4/customer/${created.body.id}`);
    expect(created.body['@type']).toBe('Customer');
    expect(created.headers.etag).toBe('"1"');
    expectValidCustomer(created.body);

    const items = await itemCollection(tenant, created.body.id);
    const event = items.find((i) => i.entity === 'EVENT');
    expect(event?.detailType).toBe('CustomerCreateEvent');
    expect(event?.detail).toMatchObject({
      tenantId: tenant,
      subject: { type: 'Customer', id: created.body.id },
      sequence: 1,
      actor: 'user-1',
      data: { customer: { id: created.body.id, name: moon.name } },
    });
    expect(
      tmfSchemaErrors('CustomerCreateEvent', {
        eventId: event?.detail.eventId,
        eventTime: event?.detail.eventTime,
        eventType: 'CustomerCreateEvent',
        event: event?.detail.data,
      }),
    ).toEqual([]);
  });

  it.each([
    [{ engagedParty: moon.engagedParty }, /name is required/],
    [{ name: 'X' }, /engagedParty is required/],
    [{ name: 'X', engagedParty: { id: '1' } }, /engagedParty.@referredType is required/],
    [{ ...moon, colour: 'red' }, /unknown field 'colour'/],
    [{ ...moon, contactMedium: [{ characteristic: {} }] }, /contactMedium\[0\].mediumType is required/],
    [{ ...moon, creditProfile: [{ creditProfileDate: 'yesterday', validFor: {} }] }, /creditProfileDate must be a valid datetime/],
    [{ ...moon, name: 42 }, /name must be a string/],
  ])('refuses %j with a 400 naming the problem, and stores nothing', async (body, message) => {
    const tenant = uniqueTenant();
    const answer = await create(tenant, body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'BAD_REQUEST', reason: 'Bad Request', status: '400' });
    expect(answer.body.message).toMatch(message);
    expect(tmfSchemaErrors('Error', answer.body)).toEqual([]);
    const list = await call(listCustomer, tmf629.listCustomer, { tenant });
    expect(list.body).toEqual([]);
  });

  it('takes a caller’s X-Correlation-Id for its events, but never one claiming an import job’s (whose events would go to its relay, kept from consumers)', async () => {
    const tenant = uniqueTenant();
    const traced = await create(tenant, moon, { 'X-Correlation-Id': 'trace-7' });
    const claiming = await create(tenant, moon, { 'X-Correlation-Id': 'import-someone-elses-job' });
    expect(traced.headers['x-correlation-id']).toBe('trace-7');
    expect(claiming.status).toBe(201);
    expect(claiming.headers['x-correlation-id']).not.toMatch(/^import-/);
    const correlationOf = async (id: string) =>
      (await itemCollection(tenant, id)).filter((item) => item.entity === 'EVENT').map((item) => (item.detail as { correlationId: string }).correlationId);
    expect(await correlationOf(String(traced.body.id))).toEqual(['trace-7']);
    const claimed = await correlationOf(String(claiming.body.id));
    expect(claimed).toHaveLength(1);
    expect(claimed[0]).not.toMatch(/^import-/);
  });

  it('answers malformed JSON with 400, a wrong content type with 415 and an oversized body with 413', async () => {
    const tenant = uniqueTenant();
    const malformed = await call(createCustomer, tmf629.createCustomer, { tenant, rawBody: '{"name": ', headers: { 'X-Correlation-Id': 'trace-42' } });
    expect(malformed.status).toBe(400);
    expect(malformed.headers['x-correlation-id']).toBe('trace-42');
    expect(malformed.body.message).toMatch(/not valid JSON/);
    const wrongType = await call(createCustomer, tmf629.createCustomer, { tenant, body: moon, headers: { 'content-type': 'text/plain' } });
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const huge = await call(createCustomer, tmf629.createCustomer, { tenant, body: { ...moon, statusReason: 'x'.repeat(1024 * 1024) } });
    expect(huge.status).toBe(413);
    const tooBigForAnItem = await call(createCustomer, tmf629.createCustomer, { tenant, body: { ...moon, statusReason: 'x'.repeat(500 * 1024) } });
    expect(tooBigForAnItem.status).toBe(413);
    expect((await call(listCustomer, tmf629.listCustomer, { tenant })).body).toEqual([]);
  });

  it('retrieves with fields, 404s unknown ids, and never shows another tenant’s customer', async () => {
    const tenant = uniqueTenant();
    const { body: created } = await create(tenant, { ...moon, status: 'Approved' });
    const full = await call(retrieveCustomer, tmf629.retrieveCustomer, { tenant, params: { id: created.id } });
    expect(full.status).toBe(200);
    expect(full.body).toEqual(created);
    expect(full.headers.etag).toBe('"1"');
    const some = await call(retrieveCustomer, tmf629.retrieveCustomer, { tenant, params: { id: created.id }, query: { fields: 'status' } });
    expect(some.body).toEqual({ id: created.id, href: created.href, '@type': 'Customer', status: 'Approved' });
    const bad = await call(retrieveCustomer, tmf629.retrieveCustomer, { tenant, params: { id: created.id }, query: { fields: 'colour' } });
    expect(bad.status).toBe(400);
    const missing = await call(retrieveCustomer, tmf629.retrieveCustomer, { tenant, params: { id: 'c2df1950-c17c-4576-9c22-e59073a4a86a' } });
    expect(missing.status).toBe(404);
    expect(tmfSchemaErrors('Error', missing.body)).toEqual([]);
    const elsewhere = await call(retrieveCustomer, tmf629.retrieveCustomer, { tenant: uniqueTenant(), params: { id: created.id } });
    expect(elsewhere.status).toBe(404);
  });

  it('lists by name with filters (AND across parameters), offset/limit, a cursor and the count headers', async () => {
    const tenant = uniqueTenant();
    const names = ['Alpha', 'Beta', 'Gamma', 'Delta', 'Beta'];
    const created = [];
    for (const [i, name] of names.entries()) {
      created.push((await create(tenant, { ...moon, name, status: i % 2 === 0 ? 'Approved' : 'Initialized' })).body);
    }
    // Name order (lower-cased), then id: the order of the name index every list reads.
    const byNameOrder = [...created].sort((a, b) => (`${a.name.toLowerCase()}#${a.id}` < `${b.name.toLowerCase()}#${b.id}` ? -1 : 1));
    const all = await call(listCustomer, tmf629.listCustomer, { tenant });
    expect(all.body.map((c: { id: string }) => c.id)).toEqual(byNameOrder.map((c) => c.id));
    expect(all.headers['x-total-count']).toBe('5');
    expect(all.headers['x-result-count']).toBe('5');
    expect(all.headers).not.toHaveProperty('x-next-cursor');
    for (const customer of all.body) expectValidCustomer(customer);

    const page = await call(listCustomer, tmf629.listCustomer, { tenant, query: { offset: '1', limit: '2' } });
    expect(page.body.map((c: { id: string }) => c.id)).toEqual(byNameOrder.slice(1, 3).map((c) => c.id));
    expect(page.headers).toMatchObject({ 'x-total-count': '5', 'x-result-count': '2' });
    // The rest through the cursor, in the same order, each once; the Link header carries it too.
    const cursor = page.headers['x-next-cursor'];
    expect(page.headers.link).toContain(`cursor=${cursor}`);
    const rest = await call(listCustomer, tmf629.listCustomer, { tenant, query: { cursor: cursor!, limit: '10' } });
    expect(rest.body.map((c: { id: string }) => c.id)).toEqual(byNameOrder.slice(3).map((c) => c.id));
    expect(rest.headers).not.toHaveProperty('x-next-cursor');

    const byName = await call(listCustomer, tmf629.listCustomer, { tenant, query: { name: 'Beta' } });
    expect(byName.body.map((c: { id: string }) => c.id).sort()).toEqual([created[1].id, created[4].id].sort());
    expect(byName.headers['x-total-count']).toBe('2');
    const lowerCase = await call(listCustomer, tmf629.listCustomer, { tenant, query: { name: 'beta' } });
    expect(lowerCase.body).toEqual([]);
    expect(lowerCase.headers['x-total-count']).toBe('0');
    const byNameAndStatus = await call(listCustomer, tmf629.listCustomer, { tenant, query: { name: 'Beta', status: 'Approved' } });
    expect(byNameAndStatus.body.map((c: { id: string }) => c.id)).toEqual([created[4].id]);
    // A filter the name index does not narrow is answered from the search projection (as the projector leaves it), in full pages, counted.
    await reconcileTenant(tenant);
    const byStatus = await call(listCustomer, tmf629.listCustomer, { tenant, query: { status: 'Initialized' } });
    expect(byStatus.body.map((c: { name: string }) => c.name)).toEqual(['Beta', 'Delta']);
    expect(byStatus.headers['x-total-count']).toBe('2');
    expect(byStatus.headers['x-result-count']).toBe('2');
    const byId = await call(listCustomer, tmf629.listCustomer, { tenant, query: { id: created[2].id, fields: 'name' } });
    expect(byId.body).toEqual([{ id: created[2].id, href: created[2].href, '@type': 'Customer', name: 'Gamma' }]);
    expect(byId.headers['x-total-count']).toBe('1');
    const noMatch = await call(listCustomer, tmf629.listCustomer, { tenant, query: { id: created[2].id, name: 'Alpha' } });
    expect(noMatch.body).toEqual([]);
    const badFilter = await call(listCustomer, tmf629.listCustomer, { tenant, query: { colour: 'red' } });
    expect(badFilter.status).toBe(400);
    // Past the table's 2,000, offsets are walked by the projection (test/integration/tmf630.test.ts reaches the 2,002nd customer).
    const beyond = await call(listCustomer, tmf629.listCustomer, { tenant, query: { offset: '2001' } });
    expect(beyond.status).toBe(200);
    expect(beyond.body).toEqual([]);
    const negative = await call(listCustomer, tmf629.listCustomer, { tenant, query: { offset: '-1' } });
    expect(negative.status).toBe(400);
    expect(negative.body.message).toMatch(/offset must be a whole number from 0 to 1000000000/);
    const forged = await call(listCustomer, tmf629.listCustomer, {
      tenant,
      query: { cursor: Buffer.from(JSON.stringify({ l: 'x', p: [] })).toString('base64url') },
    });
    expect(forged.status).toBe(400);
    const otherList = await call(listCustomer, tmf629.listCustomer, { tenant, query: { cursor: cursor!, status: 'Approved' } });
    expect(otherList.status).toBe(400);
  });

  it('keeps the counts exact under concurrent creates, renames and deletes', async () => {
    const tenant = uniqueTenant();
    const created = await Promise.all(Array.from({ length: 16 }, () => create(tenant, { ...moon, name: 'Crowd' })));
    const ids = created.map((c) => c.body.id as string);
    await Promise.all([
      ...ids.slice(0, 5).map((id) =>
        call(patchCustomer, tmf629.patchCustomer, {
          tenant,
          params: { id },
          body: { name: 'Renamed crowd' },
          headers: { 'content-type': 'application/merge-patch+json' },
        }),
      ),
      ...ids.slice(5, 8).map((id) => call(deleteCustomer, tmf629.deleteCustomer, { tenant, params: { id } })),
      ...Array.from({ length: 4 }, () => create(tenant, { ...moon, name: 'Crowd' })),
    ]);
    const total = async (query: Record<string, string> = {}) => (await call(listCustomer, tmf629.listCustomer, { tenant, query })).headers['x-total-count'];
    expect(await total()).toBe('17');
    expect(await total({ name: 'Crowd' })).toBe('12');
    expect(await total({ name: 'Renamed crowd' })).toBe('5');
    expect((await call(listCustomer, tmf629.listCustomer, { tenant, query: { limit: '100' } })).body).toHaveLength(17);
  });

  it('keeps the counts exact through creates, renames and deletes', async () => {
    const tenant = uniqueTenant();
    const a = (await create(tenant, { ...moon, name: 'Counted' })).body;
    await create(tenant, { ...moon, name: 'Counted' });
    await create(tenant, { ...moon, name: 'Other' });
    const renamed = await call(patchCustomer, tmf629.patchCustomer, {
      tenant,
      params: { id: a.id },
      body: { name: 'Renamed' },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(renamed.status).toBe(200);
    const total = async (query: Record<string, string> = {}) => (await call(listCustomer, tmf629.listCustomer, { tenant, query })).headers['x-total-count'];
    expect(await total()).toBe('3');
    expect(await total({ name: 'Counted' })).toBe('1');
    expect(await total({ name: 'Renamed' })).toBe('1');
    expect((await call(deleteCustomer, tmf629.deleteCustomer, { tenant, params: { id: a.id } })).status).toBe(204);
    expect(await total()).toBe('2');
    expect(await total({ name: 'Renamed' })).toBe('0');
  });

  it('patches with merge semantics, JSON Patch, honours If-Match, refuses id/href, and emits the right events', async () => {
    const tenant = uniqueTenant();
    const { body: created } = await create(tenant, { ...moon, status: 'Initialized', statusReason: 'new' });
    const id = created.id;
    const merge = await call(patchCustomer, tmf629.patchCustomer, {
      tenant,
      params: { id },
      body: { name: 'Sun Football Club', statusReason: null },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(merge.status).toBe(200);
    expect(merge.body).toEqual({ ...created, name: 'Sun Football Club', statusReason: undefined });
    expect(merge.body).not.toHaveProperty('statusReason');
    expect(merge.headers.etag).toBe('"2"');
    expectValidCustomer(merge.body);

    const stale = await call(patchCustomer, tmf629.patchCustomer, { tenant, params: { id }, body: { name: 'X' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    const jsonPatch = await call(patchCustomer, tmf629.patchCustomer, {
      tenant,
      params: { id },
      body: [
        { op: 'replace', path: '/status', value: 'Approved' },
        { op: 'add', path: '/characteristic', value: [{ name: 'segment', value: 'gold' }] },
      ],
      headers: { 'content-type': 'application/json-patch+json', 'if-match': '"2"' },
    });
    expect(jsonPatch.status).toBe(200);
    expect(jsonPatch.body).toMatchObject({ status: 'Approved', characteristic: [{ name: 'segment', value: 'gold' }] });

    for (const body of [{ id: 'other' }, { href: 'x' }]) {
      expect((await call(patchCustomer, tmf629.patchCustomer, { tenant, params: { id }, body })).status).toBe(400);
    }
    const idByPatch = await call(patchCustomer, tmf629.patchCustomer, {
      tenant,
      params: { id },
      body: [{ op: 'replace', path: '/id', value: 'x' }],
      headers: { 'content-type': 'application/json-patch+json' },
    });
    expect(idByPatch.status).toBe(400);
    const removeRequired = await call(patchCustomer, tmf629.patchCustomer, { tenant, params: { id }, body: { engagedParty: null } });
    expect(removeRequired.status).toBe(400);
    expect(removeRequired.body.message).toMatch(/engagedParty is required/);
    const failedTest = await call(patchCustomer, tmf629.patchCustomer, {
      tenant,
      params: { id },
      body: [{ op: 'test', path: '/name', value: 'Nope' }],
      headers: { 'content-type': 'application/json-patch+json' },
    });
    expect(failedTest.status).toBe(400);
    const missing = await call(patchCustomer, tmf629.patchCustomer, { tenant, params: { id: 'nope' }, body: { name: 'x' } });
    expect(missing.status).toBe(404);

    const current = await call(retrieveCustomer, tmf629.retrieveCustomer, { tenant, params: { id } });
    expect(current.body).toEqual(jsonPatch.body);
    const events = (await itemCollection(tenant, id)).filter((i) => i.entity === 'EVENT').map((i) => [i.detailType, i.detail.sequence]);
    expect(events).toEqual([
      ['CustomerCreateEvent', 1],
      ['CustomerAttributeValueChangeEvent', 2],
      ['CustomerAttributeValueChangeEvent', 3],
      ['CustomerStateChangeEvent', 4],
    ]);
  });

  it('a no-op patch changes nothing and emits nothing', async () => {
    const tenant = uniqueTenant();
    const { body: created } = await create(tenant);
    const same = await call(patchCustomer, tmf629.patchCustomer, { tenant, params: { id: created.id }, body: { name: moon.name } });
    expect(same.status).toBe(200);
    expect(same.headers.etag).toBe('"1"');
    expect((await itemCollection(tenant, created.id)).filter((i) => i.entity === 'EVENT')).toHaveLength(1);
  });

  it('concurrent patches of different attributes all land', async () => {
    const tenant = uniqueTenant();
    const { body: created } = await create(tenant);
    const distinct = [
      { status: 's' },
      { statusReason: 'r' },
      { '@baseType': 'b' },
      { '@schemaLocation': 'https://x/s.json' },
      { validFor: { startDateTime: '2026-01-01T00:00:00Z' } },
      { characteristic: [{ name: 'c', value: 1 }] },
    ];
    const answers = await Promise.all(distinct.map((body) => call(patchCustomer, tmf629.patchCustomer, { tenant, params: { id: created.id }, body })));
    expect(answers.map((a) => a.status)).toEqual(distinct.map(() => 200));
    const final = await call(retrieveCustomer, tmf629.retrieveCustomer, { tenant, params: { id: created.id } });
    expect(final.body).toMatchObject(Object.assign({}, ...distinct));
    expect(final.headers.etag).toBe(`"${1 + distinct.length}"`);
  });

  it('honours Idempotency-Key: a replay returns the first response, another body is 422', async () => {
    const tenant = uniqueTenant();
    const key = `k-${Date.now()}`;
    const first = await create(tenant, moon, { 'idempotency-key': key });
    const replay = await create(tenant, { engagedParty: moon.engagedParty, name: moon.name }, { 'idempotency-key': key });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.location).toBe(first.headers.location);
    const other = await create(tenant, { ...moon, name: 'Other' }, { 'idempotency-key': key });
    expect(other.status).toBe(422);
    const racing = await Promise.all(Array.from({ length: 5 }, () => create(tenant, { ...moon, name: 'Race' }, { 'idempotency-key': `${key}-race` })));
    expect(new Set(racing.map((r) => r.body.id)).size).toBe(1);
    expect(racing.every((r) => r.status === 201)).toBe(true);
    const list = await call(listCustomer, tmf629.listCustomer, { tenant });
    expect(list.body.map((c: { name: string }) => c.name).sort()).toEqual(['Moon Football Club', 'Race']);
  });

  it('deletes: 204, then 404; the delete event keeps the last state', async () => {
    const tenant = uniqueTenant();
    const { body: created } = await create(tenant);
    expect((await call(deleteCustomer, tmf629.deleteCustomer, { tenant, params: { id: created.id }, headers: { 'if-match': '"9"' } })).status).toBe(412);
    const deleted = await call(deleteCustomer, tmf629.deleteCustomer, { tenant, params: { id: created.id } });
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expect((await call(deleteCustomer, tmf629.deleteCustomer, { tenant, params: { id: created.id } })).status).toBe(404);
    expect((await call(retrieveCustomer, tmf629.retrieveCustomer, { tenant, params: { id: created.id } })).status).toBe(404);
    const events = (await itemCollection(tenant, created.id)).filter((i) => i.entity === 'EVENT');
    expect(events.map((e) => e.detailType)).toEqual(['CustomerCreateEvent', 'CustomerDeleteEvent']);
    expect(events[1]?.detail.data.customer.name).toBe(moon.name);
  });

  it('refuses a token without a tenant claim (403) and without a subject (401)', async () => {
    const noTenant = await call(createCustomer, tmf629.createCustomer, { body: moon, claims: { sub: 'u' } });
    expect(noTenant.status).toBe(403);
    const noSub = await call(createCustomer, tmf629.createCustomer, { body: moon, claims: { tenant: 't' } });
    expect(noSub.status).toBe(401);
  });
});

describe('TMF629 v4 PUT: full update (R18’s optional operation, as an extension)', () => {
  it('replaces every attribute a caller may set, clears those left out, keeps the CRM’s own fields, and emits the change events', async () => {
    const { handler: replaceCustomer } = await import('../../functions/tmf629/replace-customer.ts');
    const { handler: setStatus } = await import('../../functions/crm/update-status.ts');
    const { handler: getCrmCustomer } = await import('../../functions/crm/get-customer.ts');
    const { crm } = await import('../../functions/crm/operations.ts');
    const tenant = uniqueTenant();
    const rich = {
      ...moon,
      status: 'Approved',
      contactMedium: [{ mediumType: 'email', characteristic: { emailAddress: 'club@moon.example' } }],
      characteristic: [{ name: 'segment', value: 'sports' }],
    };
    const { body: created } = await create(tenant, rich);
    expect((await call(setStatus, crm.updateCrmStatus, { tenant, params: { id: created.id }, body: { crmStatus: 'PROSPECT' } })).status).toBe(200);
    const put = (body: unknown, headers: Record<string, string> = {}) =>
      call(replaceCustomer, tmf629.replaceCustomer, { tenant, params: { id: created.id }, body, headers });

    const stale = await put({ ...moon, status: 'Validated' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect((await put({ name: 'No party' })).status).toBe(400);
    expect((await put({ ...moon, id: 'another' })).status).toBe(400);

    // A GET's representation may be sent back whole (id and href included).
    const replaced = await put({ ...moon, id: created.id, href: created.href, name: 'Moon FC', status: 'Validated' }, { 'if-match': '"2"' });
    expect(replaced.status).toBe(200);
    expect(replaced.headers.etag).toBe('"3"');
    expectValidCustomer(replaced.body);
    expect(replaced.body).toMatchObject({ name: 'Moon FC', status: 'Validated' });
    expect(replaced.body.contactMedium).toBeUndefined();
    expect(replaced.body.characteristic).toBeUndefined();
    const crmView = await call(getCrmCustomer, crm.getCrmCustomer, { tenant, params: { id: created.id } });
    expect(crmView.body.crmStatus).toBe('PROSPECT');
    const events = (await itemCollection(tenant, created.id)).filter((i) => i.entity === 'EVENT').map((i) => i.detailType);
    expect(events.filter((type) => type === 'CustomerAttributeValueChangeEvent')).toHaveLength(1);
    expect(events.filter((type) => type === 'CustomerStateChangeEvent')).toHaveLength(1);
    // The same body again changes nothing and emits nothing.
    const same = await put({ ...moon, name: 'Moon FC', status: 'Validated' });
    expect(same.headers.etag).toBe('"3"');
  });
});
