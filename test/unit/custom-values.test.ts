import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mergeCustomers } from '../../functions/storage/customers/customer-merge.ts';
import type { FieldDefinition } from '../../functions/domain/custom-fields.ts';
import {
  changedCustomValues,
  customValueChanges,
  mergedCustomValues,
  shownCustomValues,
  splitCustomCharacteristics,
  uniqueClaimsOf,
  unmergedCustomValues,
  withCustomCharacteristics,
  withCustomValues,
} from '../../functions/domain/custom-values.ts';
import { showCustomer, storedFromView } from '../../functions/domain/tmf629/generation.ts';
import { v3, v4, v5 } from '../../functions/domain/tmf629/generations.ts';
import { tmfEventData } from '../../functions/events/tmf-customer-events.ts';
import { combineClaimWrites, uniqueClaimChanges } from '../../functions/storage/customers/unique-values.ts';
import type { CustomerRecord } from '../../functions/storage/customers/customer-items.ts';

const fields = new Map<string, FieldDefinition>(
  (
    [
      { key: 'vip', label: 'VIP', type: 'boolean' },
      {
        key: 'segment',
        label: 'Segment',
        type: 'enum',
        options: [
          { key: 'a', label: 'A' },
          { key: 'b', label: 'B', retired: true },
        ],
      },
      { key: 'email', label: 'E-mail', type: 'email', unique: true },
      { key: 'old', label: 'Old', type: 'string', archived: true },
      { key: 'score', label: 'Score', type: 'decimal' },
    ] satisfies FieldDefinition[]
  ).map((d) => [d.key, d]),
);

describe('custom values as views show them', () => {
  it('shows the active fields only, flags retired options, and clears with null', () => {
    const stored = { vip: true, segment: 'b', old: 'kept', unknown: 1 };
    expect(shownCustomValues(stored, fields)).toEqual({ values: { vip: true, segment: 'b' }, retired: { segment: ['b'] } });
    expect(changedCustomValues(stored, { vip: null, score: 1.5 })).toEqual({ segment: 'b', old: 'kept', unknown: 1, score: 1.5 });
    expect(customValueChanges({ vip: true, score: 1 }, { score: 2 })).toEqual({ vip: { before: true, after: null }, score: { before: 1, after: 2 } });
    expect(customValueChanges({ vip: true }, { vip: true })).toBeUndefined();
  });

  it('claims unique values by their normalised form: e-mail addresses case-insensitively', () => {
    const a = uniqueClaimsOf({ email: 'Ann@example.com', vip: true }, fields);
    expect(Object.keys(a)).toEqual(['email']);
    expect(uniqueClaimsOf({ email: 'ann@EXAMPLE.com' }, fields)).toEqual(a);
    expect(uniqueClaimsOf({ email: 'bob@example.com' }, fields)).not.toEqual(a);
    expect(withCustomValues({ id: 'c1' }, {}, fields)).toEqual({ id: 'c1' });
  });

  it('keeps the claim of a value a write leaves as it is, even on an instance that does not know its field yet', () => {
    const stored = { id: 'c1', customFields: { tax_id: 'T-1', vip: true }, customFieldClaims: { tax_id: 'hash-of-T-1' } };
    // `fields` knows no tax_id (definitions a few seconds old): the unchanged value keeps its claim.
    expect(withCustomValues(stored, { tax_id: 'T-1', vip: false }, fields).customFieldClaims).toEqual({ tax_id: 'hash-of-T-1' });
    // A changed value is claimed from the fields in force; a cleared one loses its claim.
    expect(withCustomValues(stored, { vip: false, email: 'a@example.com' }, fields).customFieldClaims).toEqual(
      uniqueClaimsOf({ email: 'a@example.com' }, fields),
    );
    // In a merge, a value taken from a duplicate takes the duplicate's claim.
    const duplicate = { id: 'd1', customFields: { tax_id: 'T-9' }, customFieldClaims: { tax_id: 'hash-of-T-9' } };
    expect(withCustomValues<Record<string, unknown>>({ id: 's1' }, { tax_id: 'T-9' }, fields, [{ id: 's1' }, duplicate]).customFieldClaims).toEqual({
      tax_id: 'hash-of-T-9',
    });
  });

  it('merges by the rule and gives back what an unmerge should', () => {
    const merged = mergedCustomValues({ vip: false }, [
      { id: 'd1', values: { vip: true, score: 1 } },
      { id: 'd2', values: { score: 2, email: 'x@example.com' } },
    ]);
    expect(merged).toEqual({ values: { vip: false, score: 1, email: 'x@example.com' }, added: { d1: ['score'], d2: ['email'] } });
    expect(unmergedCustomValues(merged.values, ['email'], { email: 'x@example.com' })).toEqual({ vip: false, score: 1 });
    // The survivor changed it since: it stays.
    expect(unmergedCustomValues({ ...merged.values, email: 'y@example.com' }, ['email'], { email: 'x@example.com' })).toHaveProperty('email', 'y@example.com');
  });
});

describe('custom values among TMF629 characteristics', () => {
  const record = { id: 'c1', name: 'Moon', characteristic: [{ name: 'colour', value: 'blue' }], customFields: { vip: true, score: 2, old: 'x' } };

  it('follow the free-form characteristics, typed by their fields, archived ones left out', () => {
    expect(withCustomCharacteristics(record, fields).characteristic).toEqual([
      { name: 'colour', value: 'blue' },
      { name: 'score', valueType: 'number', value: 2, '@type': 'NumberCharacteristic' },
      { name: 'vip', valueType: 'boolean', value: true, '@type': 'BooleanCharacteristic' },
    ]);
  });

  it('split back into values and free-form characteristics; v3 text read as JSON for a field whose values are not text', () => {
    const split = splitCustomCharacteristics(
      {
        name: 'Moon',
        characteristic: [
          { name: 'colour', value: 'red' },
          { name: 'vip', value: 'false' },
          { name: 'segment', value: 'a' },
        ],
      },
      fields,
      { valuesAsText: true },
    );
    expect(split).toEqual({
      attributes: { name: 'Moon', characteristic: [{ name: 'colour', value: 'red' }] },
      values: { vip: false, segment: 'a' },
      problems: [],
    });
    expect(
      splitCustomCharacteristics(
        {
          characteristic: [
            { name: 'vip', value: true },
            { name: 'vip', value: false },
          ],
        },
        fields,
        { valuesAsText: false },
      ).problems,
    ).toEqual(['characteristic.vip is given more than once']);
  });

  it("reach every generation's hub listeners as their generation shows them, from the event's v4 view", () => {
    const data = tmfEventData({ ...record, engagedParty: { id: 'p', '@referredType': 'Organization' } }, 'https://api.test', fields);
    const vip = (customer: Record<string, unknown>) => (customer.characteristic as { name: string }[]).find((c) => c.name === 'vip');
    expect(vip(data.customer)).toEqual({ name: 'vip', valueType: 'boolean', value: true, '@type': 'BooleanCharacteristic' });
    const stored = { ...storedFromView(data.customer, data.notInV4), id: 'c1' };
    expect(vip(showCustomer(v5, stored, 'https://api.test'))).toMatchObject({ value: true, '@type': 'BooleanCharacteristic' });
    expect(vip(showCustomer(v3, stored, 'https://api.test'))).toMatchObject({ value: 'true' });
    expect(vip(showCustomer(v4, stored, 'https://api.test'))).toMatchObject({ value: true });
  });
});

describe('unique claims in one transaction', () => {
  const customer = (id: string, claims: Record<string, string>) => ({ id, tenantId: 't', customFieldClaims: claims }) as unknown as CustomerRecord;

  it('releases and takes the difference only', () => {
    const items = uniqueClaimChanges(customer('c1', { email: 'h1', phone: 'p1' }), customer('c1', { email: 'h2', phone: 'p1' }));
    expect(items.map((i) => (i.Delete ? `delete ${i.Delete.Key!.pk}` : `put ${i.Put!.Item!.pk}`))).toEqual([
      'delete T#t#UNIQUE#customer#email#h1',
      'put T#t#UNIQUE#customer#email#h2',
    ]);
  });

  it('makes one write of a claim that moves from one customer to another (a merge), conditional on either holding it', () => {
    const items = combineClaimWrites([
      ...uniqueClaimChanges(customer('dup', { email: 'h' }), undefined),
      ...uniqueClaimChanges(customer('sur', {}), customer('sur', { email: 'h' })),
    ]);
    expect(items).toHaveLength(1);
    expect(items[0]!.Put).toMatchObject({
      Item: { pk: 'T#t#UNIQUE#customer#email#h', customerId: 'sur' },
      ConditionExpression: 'attribute_not_exists(pk) OR customerId IN (:me, :from)',
      ExpressionAttributeValues: { ':me': 'sur', ':from': 'dup' },
    });
  });
});

describe('the merge transaction', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  afterEach(() => ddb.reset());

  it('writes the customers first, their side writes next, and the claims the survivor takes last, once each', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const record = (id: string, claims: Record<string, string>) =>
      ({
        id,
        tenantId: 't',
        name: id,
        version: 1,
        sequence: 1,
        created: 'c',
        createdBy: 'u',
        updated: 'c',
        updatedBy: 'u',
        customFieldClaims: claims,
      }) as unknown as CustomerRecord;
    const survivor = record('sur', {});
    const duplicate = record('dup', { email: 'h' });
    const merger = { mergedInto: 'sur', mergedAt: '2026-12-02T00:00:00.000Z', mergedBy: 'u', purgeAt: '2027-01-01T00:00:00.000Z', tagsAdded: [] };
    await mergeCustomers(
      survivor,
      { ...record('sur', { email: 'h' }), version: 2 },
      [],
      [{ record: duplicate, next: { ...duplicate, version: 2 }, merger, events: [] }],
    );
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    const kinds = items.map((i) => (i.Put?.Item?.entity as string | undefined) ?? (i.Update ? 'update' : i.Delete ? 'delete' : 'other'));
    expect(kinds[0]).toBe('CUSTOMER');
    expect(kinds[1]).toBe('MERGED_CUSTOMER');
    expect(kinds.at(-1)).toBe('UNIQUE_VALUE');
    expect(kinds.filter((k) => k === 'UNIQUE_VALUE')).toHaveLength(1);
    expect(items.at(-1)!.Put).toMatchObject({ Item: { customerId: 'sur' }, ExpressionAttributeValues: { ':me': 'sur', ':from': 'dup' } });
  });
});
