/**
 * Custom values on customers (issue 24) against DynamoDB Local, through the real handlers: checked
 * on every write of the CRM API and every TMF629 generation (every problem at once; a refused write
 * writes nothing), stored typed and normalised, shown in every view (TMF629 as typed
 * characteristics), hidden when their field is archived, flagged when their option is retired;
 * unique values held by one customer under concurrency, and released and taken again through
 * changes, delete, restore, erasure, merge and unmerge; the external id held the same way.
 */
import { describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.FIELDS_CACHE_SECONDS = '0';
});

import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { uniqueTenant, type CallOptions } from '../../lib/local/direct-call.ts';
import { recordRequests } from '../../lib/local/request-recorder.ts';
import { db, tableName } from '../../functions/storage/table/db.ts';
import { keys } from '../../functions/storage/table/keys.ts';
import { customerHolding } from '../../functions/storage/customers/unique-values.ts';
import { EXTERNAL_ID, claimHash } from '../../functions/domain/custom-values.ts';
import { send } from '../support/send.ts';
import { isFamilyError } from '../support/error-bodies.ts';

const tenantApi =
  (tenant: string) =>
  (name: string, options: CallOptions = {}) =>
    send(name, { tenant, sub: 'user-1', ...options });

/** A tenant with one field of each kind the tests use. */
const tenantWithFields = async () => {
  const tenant = uniqueTenant();
  const api = tenantApi(tenant);
  const define = async (body: Record<string, unknown>) => {
    const created = await api('createField', { params: { object: 'customer' }, body });
    if (created.status !== 201) throw new Error(`createField ${JSON.stringify(created.body)}`);
  };
  await define({
    key: 'segment',
    label: 'Segment',
    type: 'enum',
    options: [
      { key: 'retail', label: 'Retail' },
      { key: 'sme', label: 'SME' },
    ],
    default: 'retail',
  });
  await define({ key: 'kyc_review', label: 'KYC review', type: 'date' });
  await define({ key: 'vip', label: 'VIP', type: 'boolean' });
  await define({ key: 'score', label: 'Score', type: 'integer', min: 0, max: 100 });
  await define({ key: 'revenue', label: 'Revenue', type: 'money' });
  await define({ key: 'national_id', label: 'National id', type: 'string', unique: true, pattern: '^[A-Z]{2}[0-9]{6}$' });
  await define({ key: 'work_email', label: 'Work e-mail', type: 'email', unique: true });
  return { tenant, api };
};

const crmCreate = (api: ReturnType<typeof tenantApi>, customFields: Record<string, unknown>, name = 'Acme') =>
  api('createCrmCustomer', { body: { name, type: 'ORGANIZATION', customFields } });

/** A customer's events in its outbox: its timeline (`EVENT#`), or the other family's mirrors of them (`MIRROR#`). */
const eventsOf = async (tenant: string, id: string, prefix = 'EVENT#') => {
  const page = await db.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':pk': keys.customer(tenant, id).pk, ':e': prefix },
    }),
  );
  return (page.Items ?? []).map((item) => item.detail as { eventType: string; data: Record<string, unknown> });
};

describe('custom values through the CRM API (DynamoDB Local)', () => {
  it('stores them typed and normalised, fills defaults, and shows them in the CRM view', async () => {
    const { api } = await tenantWithFields();
    const created = await crmCreate(api, {
      kyc_review: '2026-12-01',
      vip: true,
      score: 42,
      work_email: ' Ann@Example.COM ',
      revenue: { amount: 10.5, currency: 'EUR' },
    });
    expect(created.status).toBe(201);
    expect(created.body.customFields).toEqual({
      segment: 'retail',
      kyc_review: '2026-12-01',
      vip: true,
      score: 42,
      work_email: 'Ann@example.com',
      revenue: { amount: 10.5, currency: 'EUR' },
    });
    const read = await api('getCrmCustomer', { params: { id: created.body.id } });
    expect(read.body.customFields).toEqual(created.body.customFields);
    expect((await crmCreate(api, {}, 'Plain')).body.customFields).toEqual({ segment: 'retail' });
  });

  it('names every problem at once, in the CRM error body, and writes nothing', async () => {
    const { api } = await tenantWithFields();
    let refused: Awaited<ReturnType<typeof api>> | undefined;
    const requests = await recordRequests(async () => {
      refused = await crmCreate(api, { score: 101, vip: 'yes', nope: 1, national_id: 'x1', segment: 'corporate' });
    });
    expect(refused!.status).toBe(400);
    expect(isFamilyError('crm', 400, refused!.body)).toBe(true);
    for (const problem of [
      'customFields.score must be at most 100',
      'customFields.vip must be true or false',
      'customFields.nope is not a field of this tenant',
      'customFields.national_id must match the pattern ^[A-Z]{2}[0-9]{6}$',
      "customFields.segment is not one of the field's options",
    ])
      expect(refused!.body.detail).toContain(problem);
    expect(requests.filter((r) => r.write && !r.key.includes('#USER#'))).toEqual([]);
  });

  it('changes the values a PATCH names (null clears), keeps the rest, and tells before and after in CustomerUpdated', async () => {
    const { tenant, api } = await tenantWithFields();
    const { id } = (await crmCreate(api, { score: 1, vip: false })).body;
    const changed = await api('updateCrmCustomer', { params: { id }, body: { customFields: { score: 2, vip: null } } });
    expect(changed.status).toBe(200);
    expect(changed.body.customFields).toEqual({ segment: 'retail', score: 2 });
    const updated = (await eventsOf(tenant, id)).find((e) => e.eventType === 'CustomerUpdated')!;
    expect(updated.data.changed).toEqual(['customFields']);
    expect(updated.data.customFields).toEqual({ score: { before: 1, after: 2 }, vip: { before: false, after: null } });
    // TMF629's listeners hear it too: the values are among the customer's characteristics.
    const tmf = (await eventsOf(tenant, id, 'MIRROR#')).filter((e) => e.eventType === 'CustomerAttributeValueChangeEvent');
    expect(tmf).toHaveLength(1);
    const characteristic = (tmf[0]!.data.customer as { characteristic: { name: string; value: unknown }[] }).characteristic;
    expect(characteristic.map((c) => [c.name, c.value])).toEqual([
      ['score', 2],
      ['segment', 'retail'],
    ]);
  });

  it('takes a reference to a customer only when it names a live customer of the tenant', async () => {
    const { api } = await tenantWithFields();
    await api('createField', { params: { object: 'customer' }, body: { key: 'parent', label: 'Parent company', type: 'customerReference' } });
    const parent = (await crmCreate(api, {}, 'Parent')).body.id;
    const child = await crmCreate(api, { parent }, 'Child');
    expect(child.status).toBe(201);
    expect(child.body.customFields.parent).toBe(parent);
    expect((await crmCreate(api, { parent: 'no-such-customer' }, 'Orphan')).body.detail).toContain(
      "customFields.parent: no customer 'no-such-customer' in this tenant",
    );
    const elsewhere = (await crmCreate(tenantApi(uniqueTenant()), {}, 'Another tenant')).body.id;
    expect((await crmCreate(api, { parent: elsewhere }, 'Crossing')).status).toBe(400);
    const viaTmf = await api('patchCustomer', { params: { id: child.body.id }, body: { characteristic: [{ name: 'parent', value: 'gone' }] } });
    expect(viaTmf.status).toBe(400);
    expect(viaTmf.body.message).toContain("characteristic.parent: no customer 'gone' in this tenant");
    // A reference already stored is kept by a write that does not change it, even once its customer is gone.
    await api('deleteCrmCustomer', { params: { id: parent } });
    expect((await api('updateCrmCustomer', { params: { id: child.body.id }, body: { customFields: { score: 3 } } })).status).toBe(200);
  });

  it('refuses a customer past its custom values budget with 413 naming the largest', async () => {
    const { api } = await tenantWithFields();
    for (let i = 0; i < 8; i++) await api('createField', { params: { object: 'customer' }, body: { key: `notes_${i}`, label: `Notes ${i}`, type: 'text' } });
    const notes = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`notes_${i}`, 'é'.repeat(5000)]));
    const refused = await crmCreate(api, notes);
    expect(refused.status).toBe(413);
    expect(refused.body.detail).toMatch(
      /customFields would take \d+ bytes; a customer's custom values take at most 65536 \(the largest: customFields\.notes_0/,
    );
  });
});

describe('custom values through TMF629, in every generation (DynamoDB Local)', () => {
  it('shows them as characteristics typed by their field: v4 and v5 with @type, v3 as text', async () => {
    const { api } = await tenantWithFields();
    const { id } = (await crmCreate(api, { vip: true, score: 7, revenue: { amount: 3, currency: 'EUR' } })).body;
    const v4 = (await api('retrieveCustomer', { params: { id } })).body.characteristic;
    expect(v4).toEqual([
      { name: 'revenue', valueType: 'money', value: { amount: 3, currency: 'EUR' }, '@type': 'ObjectCharacteristic' },
      { name: 'score', valueType: 'integer', value: 7, '@type': 'IntegerCharacteristic' },
      { name: 'segment', valueType: 'string', value: 'retail', '@type': 'StringCharacteristic' },
      { name: 'vip', valueType: 'boolean', value: true, '@type': 'BooleanCharacteristic' },
    ]);
    const v5 = (await api('retrieveCustomerV5', { params: { id } })).body.characteristic;
    expect(v5.find((c: { name: string }) => c.name === 'vip')).toMatchObject({ value: true, '@type': 'BooleanCharacteristic' });
    const v3 = (await api('retrieveCustomerV3', { params: { id } })).body.characteristic;
    expect(v3.find((c: { name: string }) => c.name === 'vip')).toMatchObject({ value: 'true' });
  });

  it('takes a characteristic named like a field as its value, checked, and keeps free-form ones', async () => {
    const { api } = await tenantWithFields();
    const created = await api('createCustomer', {
      body: {
        name: 'Moon',
        engagedParty: { id: 'p1', '@referredType': 'Organization' },
        characteristic: [
          { name: 'vip', value: true },
          { name: 'colour', value: 'blue' },
        ],
      },
    });
    expect(created.status).toBe(201);
    const { id } = created.body;
    expect((await api('getCrmCustomer', { params: { id } })).body.customFields).toEqual({ vip: true, segment: 'retail' });
    const refused = await api('patchCustomer', { params: { id }, body: { characteristic: [{ name: 'score', value: 'high' }] } });
    expect(refused.status).toBe(400);
    expect(isFamilyError('tmf629', 400, refused.body)).toBe(true);
    expect(refused.body.message).toContain('characteristic.score must be a whole number');
    // v3 writes text: a boolean field reads it as JSON.
    const v3 = await api('patchCustomerV3', {
      params: { id },
      body: {
        characteristic: [
          { name: 'vip', value: 'false' },
          { name: 'colour', value: 'red' },
        ],
      },
    });
    expect(v3.status).toBe(200);
    const after = await api('getCrmCustomer', { params: { id } });
    expect(after.body.customFields).toEqual({ vip: false });
    const v4 = (await api('retrieveCustomer', { params: { id } })).body.characteristic;
    expect(v4).toEqual([
      { name: 'colour', value: 'red' },
      { name: 'vip', valueType: 'boolean', value: false, '@type': 'BooleanCharacteristic' },
    ]);
  });

  it('keeps a free-form characteristic stored before a field of its name existed, until the field holds a value', async () => {
    const { api } = await tenantWithFields();
    const created = await api('createCustomer', {
      body: { name: 'Legacy', engagedParty: { id: 'p1', '@referredType': 'Organization' }, characteristic: [{ name: 'tier', value: 'Gold' }] },
    });
    const { id } = created.body;
    await api('createField', { params: { object: 'customer' }, body: { key: 'tier', label: 'Tier', type: 'enum', options: [{ key: 'gold', label: 'Gold' }] } });
    // An unrelated write is not refused for it, and it stays as it was.
    expect((await api('patchCustomer', { params: { id }, body: { name: 'Legacy 2' } })).status).toBe(200);
    expect((await api('patchCustomerV3', { params: { id }, body: { name: 'Legacy 3' } })).status).toBe(200);
    const tiers = async () => (await api('retrieveCustomer', { params: { id } })).body.characteristic.filter((c: { name: string }) => c.name === 'tier');
    expect(await tiers()).toEqual([{ name: 'tier', value: 'Gold' }]);
    // Once the field holds a value, TMF shows the field's alone, and writes take it back as it is.
    expect((await api('updateCrmCustomer', { params: { id }, body: { customFields: { tier: 'gold' } } })).status).toBe(200);
    expect(await tiers()).toEqual([{ name: 'tier', valueType: 'string', value: 'gold', '@type': 'StringCharacteristic' }]);
    const shown = (await api('retrieveCustomer', { params: { id } })).body.characteristic;
    expect((await api('patchCustomer', { params: { id }, body: { characteristic: shown } })).status).toBe(200);
    expect(await tiers()).toEqual([{ name: 'tier', valueType: 'string', value: 'gold', '@type': 'StringCharacteristic' }]);
  });

  it('does not check again a value a write sends back unchanged, after its field was tightened', async () => {
    const { api } = await tenantWithFields();
    const { id } = (await crmCreate(api, { score: 90 })).body;
    expect((await api('updateField', { params: { object: 'customer', key: 'score' }, body: { max: 50 } })).status).toBe(200);
    expect((await api('patchCustomer', { params: { id }, body: { name: 'Renamed' } })).status).toBe(200);
    const shown = (await api('retrieveCustomer', { params: { id } })).body;
    expect(
      (
        await api('replaceCustomerV3', {
          params: { id },
          body: { ...(await api('retrieveCustomerV3', { params: { id } })).body, id: undefined, href: undefined },
        })
      ).status,
    ).toBe(200);
    expect(shown.characteristic.find((c: { name: string }) => c.name === 'score').value).toBe(90);
    expect((await api('updateCrmCustomer', { params: { id }, body: { customFields: { score: 60 } } })).status).toBe(400);
    // The CRM API alike: the whole map sent back with one change is checked for that change only.
    const crm = await api('updateCrmCustomer', { params: { id }, body: { customFields: { score: 90, vip: true } } });
    expect(crm.status).toBe(200);
    expect(crm.body.customFields).toMatchObject({ score: 90, vip: true });
  });
});

describe('definitions changing under stored values (DynamoDB Local)', () => {
  it('hides an archived field everywhere and refuses it in writes, keeps its values, and shows them again on restore', async () => {
    const { api } = await tenantWithFields();
    const { id } = (await crmCreate(api, { vip: true })).body;
    await api('archiveField', { params: { object: 'customer', key: 'vip' } });
    expect((await api('getCrmCustomer', { params: { id } })).body.customFields).toEqual({ segment: 'retail' });
    expect((await api('retrieveCustomer', { params: { id } })).body.characteristic.map((c: { name: string }) => c.name)).toEqual(['segment']);
    const refused = await api('updateCrmCustomer', { params: { id }, body: { customFields: { vip: false } } });
    expect(refused.body.detail).toContain('customFields.vip is an archived field');
    expect((await api('exportCrmCustomer', { params: { id } })).body.customer.customFieldsHeld).toEqual({ segment: 'retail', vip: true });
    await api('restoreField', { params: { object: 'customer', key: 'vip' } });
    expect((await api('getCrmCustomer', { params: { id } })).body.customFields).toEqual({ segment: 'retail', vip: true });
  });

  it('keeps a retired option’s values, shown and flagged, and refuses it in new writes; a new required field applies to creates only', async () => {
    const { api } = await tenantWithFields();
    const { id } = (await crmCreate(api, { segment: 'sme' })).body;
    await api('updateField', {
      params: { object: 'customer', key: 'segment' },
      body: {
        options: [
          { key: 'retail', label: 'Retail' },
          { key: 'sme', label: 'SME', retired: true },
        ],
      },
    });
    const read = (await api('getCrmCustomer', { params: { id } })).body;
    expect(read.customFields.segment).toBe('sme');
    expect(read.customFieldsRetired).toEqual({ segment: ['sme'] });
    expect((await crmCreate(api, { segment: 'sme' })).body.detail).toContain('customFields.segment is a retired option');
    await api('updateField', { params: { object: 'customer', key: 'kyc_review' }, body: { required: true } });
    expect((await crmCreate(api, {})).body.detail).toContain('customFields.kyc_review is required');
    expect((await api('updateCrmCustomer', { params: { id }, body: { name: 'Still fine' } })).status).toBe(200);
  });
});

describe('unique custom values (DynamoDB Local)', () => {
  it('lets exactly one of 50 concurrent creates hold a value; the others get 409 naming the field and the holder', async () => {
    const { api } = await tenantWithFields();
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => crmCreate(api, { national_id: 'NL123456' }, `Racer ${i}`)));
    const won = answers.filter((a) => a.status === 201);
    expect(won).toHaveLength(1);
    const lost = answers.filter((a) => a.status !== 201);
    expect(lost.map((a) => a.status)).toEqual(Array(49).fill(409));
    for (const answer of lost) expect(answer.body.detail).toBe(`The value of the unique field 'national_id' belongs to customer '${won[0]!.body.id}'.`);
    expect((await api('listCrmCustomers', { query: { limit: '100' } })).body).toHaveLength(1);
  });

  it('compares e-mail case-insensitively, and releases a value on change, delete and erasure', async () => {
    const { api } = await tenantWithFields();
    const first = (await crmCreate(api, { work_email: 'ann@example.com' })).body.id;
    const taken = await crmCreate(api, { work_email: 'ANN@EXAMPLE.COM' }, 'Other');
    expect(taken.status).toBe(409);
    await api('updateCrmCustomer', { params: { id: first }, body: { customFields: { work_email: 'ann.lee@example.com' } } });
    const second = await crmCreate(api, { work_email: 'Ann@example.com' }, 'Second');
    expect(second.status).toBe(201);
    await api('deleteCrmCustomer', { params: { id: second.body.id } });
    const third = await crmCreate(api, { work_email: 'ann@example.com' }, 'Third');
    expect(third.status).toBe(201);
    // The deleted one cannot come back while its value is another's: 409 saying which.
    const restore = await api('restoreCrmCustomer', { params: { id: second.body.id } });
    expect(restore.status).toBe(409);
    expect(restore.body.detail).toBe(`The value of the unique field 'work_email' belongs to customer '${third.body.id}'.`);
    expect((await api('eraseCrmCustomer', { params: { id: third.body.id } })).status).toBeLessThan(300);
    expect((await api('restoreCrmCustomer', { params: { id: second.body.id } })).status).toBe(200);
  });

  it('holds an external id (issue 27) like a unique field: one customer of the tenant, case-sensitive, released by a change, a clear and a delete', async () => {
    const tenant = uniqueTenant();
    const api = tenantApi(tenant);
    const create = (externalId: string, name: string) => api('createCrmCustomer', { body: { name, type: 'PERSON', externalId } });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => create('SF-0001', `Racer ${i}`)));
    const won = answers.filter((a) => a.status === 201);
    expect(won).toHaveLength(1);
    const holder = won[0]!.body.id as string;
    for (const lost of answers.filter((a) => a.status !== 201))
      expect(lost.body.detail).toBe(`The value of the unique field 'externalId' belongs to customer '${holder}'.`);
    expect(won[0]!.body.externalId).toBe('SF-0001');
    expect(await customerHolding(tenant, EXTERNAL_ID, claimHash('SF-0001'))).toBe(holder);
    // Another tenant's ids are its own; another case is another id.
    expect(
      (await send('createCrmCustomer', { tenant: uniqueTenant(), sub: 'user-1', body: { name: 'Elsewhere', type: 'PERSON', externalId: 'SF-0001' } })).status,
    ).toBe(201);
    const lower = await create('sf-0001', 'Lower case');
    expect(lower.status).toBe(201);
    // A change moves the claim; a clear drops it; a delete releases it.
    expect((await api('updateCrmCustomer', { params: { id: holder }, body: { externalId: 'SF-0002' } })).status).toBe(200);
    expect(await customerHolding(tenant, EXTERNAL_ID, claimHash('SF-0001'))).toBeUndefined();
    expect((await api('updateCrmCustomer', { params: { id: lower.body.id }, body: { externalId: 'SF-0002' } })).status).toBe(409);
    expect((await api('updateCrmCustomer', { params: { id: holder }, body: { externalId: null } })).status).toBe(200);
    expect(await customerHolding(tenant, EXTERNAL_ID, claimHash('SF-0002'))).toBeUndefined();
    const third = await create('SF-0002', 'Third');
    expect(third.status).toBe(201);
    await api('deleteCrmCustomer', { params: { id: third.body.id } });
    expect(await customerHolding(tenant, EXTERNAL_ID, claimHash('SF-0002'))).toBeUndefined();
    expect((await create('', 'Empty')).status).toBe(400);
    expect((await create('x'.repeat(256), 'Too long')).status).toBe(400);
  });

  it('merges by the rule: the survivor keeps its values and takes the ones it lacks, unique ones with their claim; an unmerge gives them back', async () => {
    const { api } = await tenantWithFields();
    const survivor = (await crmCreate(api, { score: 5 }, 'Survivor')).body.id;
    const duplicate = (await crmCreate(api, { score: 9, vip: true, national_id: 'DE654321' }, 'Duplicate')).body.id;
    const merged = await api('mergeCrmCustomer', { params: { id: survivor }, body: { duplicateIds: [duplicate] } });
    expect(merged.status).toBe(200);
    expect(merged.body.customFields).toEqual({ segment: 'retail', score: 5, vip: true, national_id: 'DE654321' });
    expect((await crmCreate(api, { national_id: 'DE654321' }, 'Third')).body.detail).toContain(`belongs to customer '${survivor}'`);
    const unmerged = await api('unmergeCrmCustomer', { params: { id: survivor }, body: { duplicateId: duplicate } });
    expect(unmerged.status).toBe(200);
    expect(unmerged.body.customFields).toEqual({ segment: 'retail', score: 9, vip: true, national_id: 'DE654321' });
    expect((await api('getCrmCustomer', { params: { id: survivor } })).body.customFields).toEqual({ segment: 'retail', score: 5 });
    expect((await crmCreate(api, { national_id: 'DE654321' }, 'Fourth')).body.detail).toContain(`belongs to customer '${duplicate}'`);
  });

  it('refuses a merge whose custom values together pass a customer’s budget, and one too large for a transaction, each with 422 and nothing written', async () => {
    const { api } = await tenantWithFields();
    for (let i = 0; i < 8; i++) await api('createField', { params: { object: 'customer' }, body: { key: `notes_${i}`, label: `Notes ${i}`, type: 'text' } });
    const notes = (from: number, to: number) => Object.fromEntries(Array.from({ length: to - from }, (_, i) => [`notes_${from + i}`, 'é'.repeat(5000)]));
    const survivor = (await crmCreate(api, notes(0, 5), 'Big survivor')).body.id;
    const duplicate = (await crmCreate(api, notes(5, 8), 'Big duplicate')).body.id;
    const refused = await api('mergeCrmCustomer', { params: { id: survivor }, body: { duplicateIds: [duplicate] } });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/customFields would take \d+ bytes/);
    expect((await api('getCrmCustomer', { params: { id: duplicate } })).status).toBe(200);

    const { api: other } = await tenantWithFields();
    for (let f = 0; f < 18; f++)
      await other('createField', { params: { object: 'customer' }, body: { key: `code_${f}`, label: `Code ${f}`, type: 'string', unique: true } });
    const codes = (n: number) => Object.fromEntries(Array.from({ length: 18 }, (_, f) => [`code_${f}`, `C${n}-${f}`]));
    const target = (await crmCreate(other, codes(0), 'Target')).body.id;
    const many = [];
    for (let n = 1; n <= 5; n++) many.push((await crmCreate(other, codes(n), `Duplicate ${n}`)).body.id);
    const tooMany = await other('mergeCrmCustomer', { params: { id: target }, body: { duplicateIds: many } });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.detail).toMatch(/takes \d+ writes in one transaction .* DynamoDB takes 100: merge fewer duplicates at once/);
    expect((await other('mergeCrmCustomer', { params: { id: target }, body: { duplicateIds: many.slice(0, 2) } })).status).toBe(200);
  });
});
