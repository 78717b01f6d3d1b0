/**
 * The field API (/api/v1/fields/{object}) against DynamoDB Local, through the real handlers and
 * middleware: definitions created, read, listed in pages, changed (merge patch, If-Match, only
 * safe type changes), archived and restored, each change with its event in the same transaction;
 * every problem of a definition at once; the tenant's JSON Schema, checked by ajv.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { call, uniqueTenant, type CallOptions } from '../../lib/local/direct-call.ts';
import { fields } from '../../functions/fields/operations.ts';
import * as createField from '../../functions/fields/create-field.ts';
import * as getField from '../../functions/fields/get-field.ts';
import * as listFields from '../../functions/fields/list-fields.ts';
import * as updateField from '../../functions/fields/update-field.ts';
import * as archiveField from '../../functions/fields/archive-field.ts';
import * as restoreField from '../../functions/fields/restore-field.ts';
import * as getFieldsSchema from '../../functions/fields/get-fields-schema.ts';
import { CUSTOM_FIELDS_SCHEMA_KEYWORDS } from '../../functions/domain/custom-fields.ts';
import { db, tableName } from '../../functions/storage/table/db.ts';
import { keys } from '../../functions/storage/table/keys.ts';
import { recordRequests } from '../../lib/local/request-recorder.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const api = (tenant: string) => {
  const at = (key?: string) => ({ object: 'customer', ...(key ? { key } : {}) });
  const options = (o: CallOptions) => ({ tenant, sub: 'admin-1', ...o });
  return {
    create: (body: unknown, headers?: Record<string, string>) => call(createField.handler, fields.createField, options({ params: at(), body, headers })),
    get: (key: string) => call(getField.handler, fields.getField, options({ params: at(key) })),
    list: (query: Record<string, string> = {}) => call(listFields.handler, fields.listFields, options({ params: at(), query })),
    update: (key: string, body: unknown, headers?: Record<string, string>) =>
      call(updateField.handler, fields.updateField, options({ params: at(key), body, headers })),
    archive: (key: string, headers?: Record<string, string>) => call(archiveField.handler, fields.archiveField, options({ params: at(key), headers })),
    restore: (key: string) => call(restoreField.handler, fields.restoreField, options({ params: at(key) })),
    schema: () => call(getFieldsSchema.handler, fields.getFieldsSchema, options({ params: at() })),
  };
};

/** The events written in the field partition, oldest first. */
const fieldEvents = async (tenant: string) => {
  const page = await db.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':pk': keys.fieldDefinitions(tenant, 'customer'), ':e': 'EVENT#' },
    }),
  );
  return (page.Items ?? []).map(
    (item) => item.detail as { eventType: string; subject: { id: string }; sequence: number; data: Record<string, Record<string, unknown>> },
  );
};

const segment = {
  key: 'segment',
  label: 'Segment',
  type: 'enum',
  group: 'Sales',
  options: [
    { key: 'retail', label: 'Retail' },
    { key: 'sme', label: 'SME' },
  ],
  searchable: true,
};

describe('the field API (DynamoDB Local)', () => {
  it('creates a field: 201 with Location, ETag and its view, and a FieldCreated event in the same transaction', async () => {
    const tenant = uniqueTenant();
    const { create, get } = api(tenant);
    const created = await create(segment);
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe('https://api.test/api/v1/fields/customer/segment');
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({
      object: 'customer',
      key: 'segment',
      type: 'enum',
      required: false,
      unique: false,
      searchable: true,
      archived: false,
      version: 1,
    });
    expect(created.body.tenantId).toBeUndefined();
    expect((await get('segment')).body).toEqual(created.body);
    const events = await fieldEvents(tenant);
    expect(events.map((e) => [e.eventType, e.subject.id, e.sequence])).toEqual([['FieldCreated', 'customer.segment', 1]]);
    expect(events[0]!.data.field).toEqual(created.body);
  });

  it('names every problem of a definition at once and stores nothing', async () => {
    const tenant = uniqueTenant();
    const { create, list } = api(tenant);
    const refused = await create({ key: 'Bad Key', label: '', type: 'boolean', maxLength: 5, pattern: '(' });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toMatch(/label must not be empty/);
    const refusedDeeper = await create({ key: 'bad_field', label: 'X', type: 'boolean', maxLength: 5, default: 'yes' });
    expect(refusedDeeper.status).toBe(400);
    expect(refusedDeeper.body.detail).toContain('maxLength does not apply to a boolean field');
    const bothAtOnce = await create({ key: 'n', label: 'N', type: 'integer', min: 5, max: 1, pattern: 'x' });
    expect(bothAtOnce.body.detail).toContain('min must not be above max');
    expect(bothAtOnce.body.detail).toContain('pattern does not apply to an integer field');
    expect((await create({ key: 'schema', label: 'S', type: 'string' })).body.detail).toContain("'schema' is reserved");
    expect((await create({ key: 'p', label: 'P', type: 'string', pattern: '(a' })).body.detail).toMatch(/pattern is not an RE2 pattern/);
    expect((await create({ key: 'u', label: 'U', type: 'decimal', unique: true })).body.detail).toContain('unique does not apply to a decimal field');
    expect((await list()).body).toEqual([]);
  });

  it('refuses a definition past its byte budget with 413, and a used key with 409, archived ones included', async () => {
    const tenant = uniqueTenant();
    const { create, archive } = api(tenant);
    const options = Array.from({ length: 2000 }, (_, i) => ({ key: `option_${i}`, label: 'é'.repeat(100) }));
    const big = await create({ key: 'big', label: 'Big', type: 'multiEnum', options });
    expect(big.status).toBe(413);
    expect(big.body.detail).toMatch(/'big' would take \d+ bytes/);
    expect((await create({ key: 'ok', label: 'OK', type: 'multiEnum', options: options.slice(0, 300) })).status).toBe(201);
    expect((await create(segment)).status).toBe(201);
    const again = await create({ ...segment, label: 'Again' });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain("'segment' is taken");
    expect((await archive('segment')).status).toBe(200);
    expect((await create(segment)).status).toBe(409);
  });

  it("holds a tenant's definitions to 1 MB together (what every instance reads again), freeing room when one shrinks", async () => {
    const tenant = uniqueTenant();
    const { create, update } = api(tenant);
    // About 95 KB each: under a definition's 100 KB; eleven of them pass the tenant's 1 MB.
    const options = Array.from({ length: 1300 }, (_, i) => ({ key: `option_${i}`, label: `Option number ${i} of a long list of choices` }));
    for (let i = 0; i < 10; i++) expect((await create({ key: `list_${i}`, label: `List ${i}`, type: 'enum', options })).status).toBe(201);
    const refused = await create({ key: 'list_10', label: 'List 10', type: 'enum', options });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain("A tenant's field definitions of an object take at most 1048576 bytes together");
    // About 60 KB more still fits; a change that grows it past the budget does not, until another shrinks.
    const some = (n: number) => options.slice(0, n);
    expect((await create({ key: 'mid', label: 'Mid', type: 'enum', options: some(800) })).status).toBe(201);
    expect((await update('mid', { options: some(1000) })).status).toBe(422);
    expect((await update('list_2', { options: options.map((o) => ({ ...o, label: 'x' })) })).status).toBe(200);
    expect((await update('mid', { options: some(1000) })).status).toBe(200);
  });

  it('answers a replayed Idempotency-Key with the first answer, and creates once', async () => {
    const tenant = uniqueTenant();
    const { create, list } = api(tenant);
    const first = await create(segment, { 'idempotency-key': 'k-1' });
    const replay = await create(segment, { 'idempotency-key': 'k-1' });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect((await list()).body).toHaveLength(1);
  });

  it('lists in key order, one Query a page, with a cursor to the next page', async () => {
    const tenant = uniqueTenant();
    const { create, list } = api(tenant);
    for (const key of ['zeta', 'alpha', 'mid_1', 'mid', 'beta']) expect((await create({ key, label: key, type: 'string' })).status).toBe(201);
    let first = await list();
    const requests = await recordRequests(async () => {
      first = await list({ limit: '2' });
    });
    expect(requests.map((r) => r.command)).toEqual(['QueryCommand']);
    expect(first.body.map((f: { key: string }) => f.key)).toEqual(['alpha', 'beta']);
    const second = await list({ limit: '2', cursor: first.headers['x-next-cursor']! });
    expect(second.body.map((f: { key: string }) => f.key)).toEqual(['mid', 'mid_1']);
    const third = await list({ limit: '2', cursor: second.headers['x-next-cursor']! });
    expect(third.body.map((f: { key: string }) => f.key)).toEqual(['zeta']);
    expect((await list({ cursor: 'not a key' })).status).toBe(400);
    expect((await list({ limit: '501' })).status).toBe(400);
  });

  it('changes a field by merge patch: constraints, options added and retired, safe type changes; refuses the rest with the reason', async () => {
    const tenant = uniqueTenant();
    const { create, update, get } = api(tenant);
    await create(segment);
    await create({ key: 'notes', label: 'Notes', type: 'string', maxLength: 100 });
    await create({ key: 'email_2', label: 'Second e-mail', type: 'email', unique: true });

    const relabelled = await update('segment', {
      label: 'Customer segment',
      group: null,
      options: [...segment.options.map((o) => (o.key === 'sme' ? { ...o, retired: true } : o)), { key: 'corporate', label: 'Corporate' }],
    });
    expect(relabelled.status).toBe(200);
    expect(relabelled.body).toMatchObject({ label: 'Customer segment', version: 2 });
    expect(relabelled.body.group).toBeUndefined();
    expect(relabelled.body.options).toEqual([
      { key: 'retail', label: 'Retail' },
      { key: 'sme', label: 'SME', retired: true },
      { key: 'corporate', label: 'Corporate' },
    ]);

    const dropped = await update('segment', { options: [{ key: 'retail', label: 'Retail' }] });
    expect(dropped.status).toBe(400);
    expect(dropped.body.detail).toContain("cannot drop 'sme'");
    expect(dropped.body.detail).toContain("cannot drop 'corporate'");

    expect((await update('notes', { type: 'text', maxLength: 5000 })).body).toMatchObject({ type: 'text', maxLength: 5000 });
    const unsafe = await update('notes', { type: 'integer', maxLength: null });
    expect(unsafe.status).toBe(400);
    expect(unsafe.body.detail).toMatch(/type cannot change from text to integer: stored values would need a migration \(safe: string → text;/);
    expect((await update('email_2', { type: 'string' })).body.detail).toContain('type of a unique field cannot change');
    expect((await update('notes', { unique: true })).status).toBe(400);
    expect((await update('notes', { key: 'other' })).status).toBe(400);
    expect((await get('notes')).body).toMatchObject({ type: 'text', version: 2 });

    // Nothing to change: no new version, no event.
    expect((await update('notes', { type: 'text' })).body.version).toBe(2);
    expect((await fieldEvents(tenant)).filter((e) => e.subject.id === 'customer.notes').map((e) => e.eventType)).toEqual(['FieldCreated', 'FieldUpdated']);
    const change = (await fieldEvents(tenant)).find((e) => e.eventType === 'FieldUpdated' && e.subject.id === 'customer.notes')!;
    expect(change.data.before).toMatchObject({ type: 'string', maxLength: 100 });
    expect(change.data.field).toMatchObject({ type: 'text', maxLength: 5000 });
  });

  it('honours If-Match (412 when stale) and answers 404 for an unknown field or object', async () => {
    const tenant = uniqueTenant();
    const { create, update, archive, get } = api(tenant);
    await create(segment);
    expect((await update('segment', { label: 'A' }, { 'if-match': '"7"' })).status).toBe(412);
    expect((await update('segment', { label: 'A' }, { 'if-match': '"1"' })).status).toBe(200);
    expect((await archive('segment', { 'if-match': '"1"' })).status).toBe(412);
    expect((await get('missing')).status).toBe(404);
    const elsewhere = await call(getField.handler, fields.getField, { tenant, params: { object: 'planet', key: 'segment' } });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.detail).toContain('objects with custom fields: customer');
    // Another tenant's field is not this tenant's.
    expect((await api(uniqueTenant()).get('segment')).status).toBe(404);
  });

  it('archives and restores a field, each once, with its event; the key stays taken', async () => {
    const tenant = uniqueTenant();
    const { create, archive, restore, list } = api(tenant);
    await create(segment);
    expect((await archive('segment')).body).toMatchObject({ archived: true, version: 2 });
    expect((await archive('segment')).body.version).toBe(2);
    expect((await list()).body.map((f: { archived: boolean }) => f.archived)).toEqual([true]);
    expect((await restore('segment')).body).toMatchObject({ archived: false, version: 3 });
    expect((await restore('segment')).body.version).toBe(3);
    expect((await fieldEvents(tenant)).map((e) => e.eventType)).toEqual(['FieldCreated', 'FieldArchived', 'FieldRestored']);
  });

  it("serves the tenant's JSON Schema (2020-12): active fields only, valid for ajv, and it validates values as reads show them", async () => {
    const tenant = uniqueTenant();
    const { create, archive, schema } = api(tenant);
    await create(segment);
    await create({ key: 'kyc_review', label: 'KYC review date', type: 'date', required: true, sensitive: true });
    await create({ key: 'revenue', label: 'Revenue', type: 'money', min: 0 });
    await create({ key: 'old', label: 'Old', type: 'string' });
    await archive('old');
    const answer = await schema();
    expect(answer.status).toBe(200);
    expect(answer.body.$id).toBe('https://api.test/api/v1/fields/customer/schema');
    expect(Object.keys(answer.body.properties)).toEqual(['kyc_review', 'revenue', 'segment']);
    expect(answer.body.required).toEqual(['kyc_review']);
    const ajv = addFormats(new Ajv2020({ strict: true, allErrors: true }));
    for (const keyword of CUSTOM_FIELDS_SCHEMA_KEYWORDS) ajv.addKeyword(keyword);
    const validate = ajv.compile(answer.body);
    expect(validate({ kyc_review: '2026-12-01', segment: 'sme', revenue: { amount: 10, currency: 'EUR' } })).toBe(true);
    expect(validate({ kyc_review: '2026-13-01' })).toBe(false);
    expect(validate({ kyc_review: '2026-12-01', old: 'x' })).toBe(false);
    expect(validate({ segment: 'retail' })).toBe(false);
  });
});
