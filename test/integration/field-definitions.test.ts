import { describe, expect, it } from 'vitest';
import { CUSTOM_FIELD_LIMITS } from '../../functions/domain/custom-fields.ts';
import {
  allFieldDefinitions,
  fieldDefinitionsInForce,
  FieldKeyTaken,
  fieldsCacheMs,
  getFieldDefinition,
  insertFieldDefinition,
  listFieldDefinitions,
  replaceFieldDefinition,
  type StoredFieldDefinition,
} from '../../functions/storage/fields/field-definitions.ts';
import { newBookkeeping, changedBookkeeping } from '../../functions/storage/table/bookkeeping.ts';
import { LimitReached } from '../../functions/storage/table/errors.ts';
import { ConditionFailed } from '../../functions/storage/table/transactions.ts';
import { uniqueTenant } from '../../lib/local/direct-call.ts';
import { recordRequests } from '../../lib/local/request-recorder.ts';

const definition = (tenantId: string, key: string, extra: Partial<StoredFieldDefinition> = {}): StoredFieldDefinition => ({
  tenantId,
  object: 'customer',
  key,
  label: key,
  type: 'string',
  ...newBookkeeping('admin'),
  ...extra,
});

describe('custom field definitions in the table (DynamoDB Local)', () => {
  it('stores, reads and pages them in key order; a key is never reused, archived or not', async () => {
    const tenant = uniqueTenant();
    const keys = ['segment', 'kyc_review', 'a', 'a0', 'a_b', 'ab', 'z9'];
    for (const key of keys) await insertFieldDefinition(definition(tenant, key), []);
    expect((await getFieldDefinition(tenant, 'customer', 'segment'))?.label).toBe('segment');
    expect(await getFieldDefinition(tenant, 'customer', 'nope')).toBeUndefined();

    const paged: string[] = [];
    let after: string | undefined;
    do {
      const page = await listFieldDefinitions(tenant, 'customer', { limit: 2, after });
      expect(page.definitions.length).toBeLessThanOrEqual(2);
      paged.push(...page.definitions.map((d) => d.key));
      after = page.next;
    } while (after);
    expect(paged).toEqual([...keys].sort());
    expect((await allFieldDefinitions(tenant, 'customer')).map((d) => d.key)).toEqual([...keys].sort());

    const before = (await getFieldDefinition(tenant, 'customer', 'segment'))!;
    await replaceFieldDefinition(before, { ...before, archived: true, ...changedBookkeeping(before, 0, 'admin') }, []);
    await expect(insertFieldDefinition(definition(tenant, 'segment'), [])).rejects.toBeInstanceOf(FieldKeyTaken);
    // A stale version is refused: the change is the caller's to retry or to answer 412.
    await expect(replaceFieldDefinition(before, { ...before, label: 'Segment', ...changedBookkeeping(before, 0, 'admin') }, [])).rejects.toBeInstanceOf(
      ConditionFailed,
    );
  });

  it(`holds ${CUSTOM_FIELD_LIMITS.uniqueFields} unique fields under concurrency, no more, and frees a place when one stops being unique`, async () => {
    const tenant = uniqueTenant();
    const results = await Promise.allSettled(
      Array.from({ length: CUSTOM_FIELD_LIMITS.uniqueFields + 10 }, (_, i) => insertFieldDefinition(definition(tenant, `u${i}`, { unique: true }), [])),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(CUSTOM_FIELD_LIMITS.uniqueFields);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(LimitReached);
    // Not unique: no ceiling but the fields'.
    await insertFieldDefinition(definition(tenant, 'plain'), []);
    const plain = (await getFieldDefinition(tenant, 'customer', 'plain'))!;
    await expect(replaceFieldDefinition(plain, { ...plain, unique: true, ...changedBookkeeping(plain, 0, 'admin') }, [])).rejects.toBeInstanceOf(LimitReached);
    const unique = (await allFieldDefinitions(tenant, 'customer')).find((d) => d.unique)!;
    await replaceFieldDefinition(unique, { ...unique, unique: false, ...changedBookkeeping(unique, 0, 'admin') }, []);
    await replaceFieldDefinition(plain, { ...plain, unique: true, ...changedBookkeeping(plain, 0, 'admin') }, []);
    expect((await allFieldDefinitions(tenant, 'customer')).filter((d) => d.unique)).toHaveLength(CUSTOM_FIELD_LIMITS.uniqueFields);
  });
});

describe('the definitions in force', () => {
  it('are read once per instance and in force everywhere within FIELDS_CACHE_SECONDS (5 s)', async () => {
    const tenant = uniqueTenant();
    await insertFieldDefinition(definition(tenant, 'first'), []);
    const now = Date.now();
    expect([...(await fieldDefinitionsInForce(tenant, 'customer', now)).keys()]).toEqual(['first']);
    await insertFieldDefinition(definition(tenant, 'second'), []);
    const reads = await recordRequests(async () => {
      expect([...(await fieldDefinitionsInForce(tenant, 'customer', now + fieldsCacheMs() - 1)).keys()]).toEqual(['first']);
    });
    expect(reads).toHaveLength(0);
    expect([...(await fieldDefinitionsInForce(tenant, 'customer', now + fieldsCacheMs())).keys()]).toEqual(['first', 'second']);
  });
});
