/**
 * Property tests of custom values (issue 24) against DynamoDB Local, through the real handlers:
 * random definitions and random values. Every accepted value comes back, as its field normalises
 * it, through the CRM view and every TMF629 generation, and a generation that sends it back
 * unchanged changes nothing; every refused value is a 400 that wrote nothing.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.FIELDS_CACHE_SECONDS = '0';
});

import { checkValue, loadFieldEngines, type FieldDefinition } from '../../functions/domain/custom-fields.ts';
import { uniqueTenant } from '../../lib/local/direct-call.ts';
import { recordRequests } from '../../lib/local/request-recorder.ts';
import { send } from '../support/send.ts';
import { FUZZ_SEED } from '../support/fuzz.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
/** Stands for a customer of the run's tenant, made before the value is written. */
const EXISTING = 'the-existing-customer';

const options = fc
  .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), { minLength: 1, maxLength: 6 })
  .map((keys) => keys.map((key, i) => ({ key, label: key.toUpperCase(), ...(i === keys.length - 1 && keys.length > 1 ? { retired: true } : {}) })));
const bounds = fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 2000 })).map(([min, span]) => ({ min, max: min + span }));

/** A definition of any type, with constraints its type takes. */
const definition: fc.Arbitrary<FieldDefinition> = fc
  .oneof(
    fc.record({ type: fc.constant('string' as const), maxLength: fc.integer({ min: 1, max: 40 }), pattern: fc.constantFrom(undefined, '^[a-z ]*$', '[0-9]') }),
    fc.record({ type: fc.constant('text' as const), maxLength: fc.integer({ min: 1, max: 200 }) }),
    fc.record({ type: fc.constant('integer' as const) }).chain((d) => bounds.map((b) => ({ ...d, ...b }))),
    fc.record({ type: fc.constant('decimal' as const), scale: fc.integer({ min: 0, max: 4 }) }),
    fc.constant({ type: 'boolean' as const }),
    fc.constant({ type: 'date' as const }),
    fc.constant({ type: 'datetime' as const }),
    fc.record({ type: fc.constantFrom('enum' as const, 'multiEnum' as const), options }),
    fc.constant({ type: 'email' as const }),
    fc.record({ type: fc.constant('phone' as const), defaultCountry: fc.constantFrom(undefined, 'NL', 'US') }),
    fc.constant({ type: 'url' as const }),
    fc.constant({ type: 'money' as const }),
    fc.constant({ type: 'customerReference' as const }),
  )
  .map((d) => JSON.parse(JSON.stringify({ key: 'field_x', label: 'Field X', ...d })) as FieldDefinition);

/** A value for a field of the definition's type: likely to fit, near its edges, or anything at all. */
const valueFor = (d: FieldDefinition): fc.Arbitrary<unknown> => {
  const fitting: Partial<Record<FieldDefinition['type'], fc.Arbitrary<unknown>>> = {
    string: fc.string({ maxLength: 50 }),
    text: fc.string({ maxLength: 250 }),
    integer: fc.integer({ min: -1200, max: 3200 }),
    decimal: fc.oneof(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.integer().map((n) => n / 100),
    ),
    boolean: fc.boolean(),
    date: fc.date({ min: new Date('1900-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }).map((t) => t.toISOString().slice(0, 10)),
    datetime: fc.date({ min: new Date('1900-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }).map((t) => t.toISOString().replace('Z', '+02:00')),
    enum: fc.constantFrom(...(d.options ?? []).map((o) => o.key), 'nope'),
    multiEnum: fc.subarray([...(d.options ?? []).map((o) => o.key), 'nope']),
    email: fc.oneof(fc.emailAddress(), fc.string()),
    phone: fc.constantFrom('+31 6 1234 5678', '06 12345678', '+1 202 555 0143', '(202) 555-0143', '12', 'phone'),
    url: fc.oneof(fc.webUrl(), fc.string()),
    money: fc.record({
      amount: fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })),
      currency: fc.constantFrom('EUR', 'JPY', 'BHD', 'XXX1'),
    }),
    customerReference: fc.oneof(fc.constant(EXISTING), fc.uuid(), fc.constant('a#b')),
  };
  return fc.oneof({ arbitrary: fitting[d.type]!, weight: 4 }, { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 });
};

const characteristicOf = (view: { characteristic?: { name: string; value: unknown; '@type'?: string }[] }) =>
  view.characteristic?.find((c) => c.name === 'field_x');

describe('custom values: random definitions, random values (DynamoDB Local)', () => {
  it(`an accepted value comes back equal through every view and generation; a refused one writes nothing (seed ${FUZZ_SEED}, ${RUNS} runs)`, async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        definition.chain((d) => fc.tuple(fc.constant(d), valueFor(d))),
        async ([field, value]) => {
          const tenant = uniqueTenant();
          const api = (name: string, options: Parameters<typeof send>[1] = {}) => send(name, { tenant, sub: 'prop', ...options });
          const defined = await api('createField', { params: { object: 'customer' }, body: field });
          expect(defined.status, JSON.stringify(defined.body)).toBe(201);
          await loadFieldEngines([field]);
          const referenced =
            value === EXISTING ? ((await api('createCrmCustomer', { body: { name: 'Referenced', type: 'PERSON' } })).body.id as string) : undefined;
          const written = referenced ?? value;
          // `null` on a create is no value at all; a reference must name a customer of the tenant (only `referenced` is one).
          const checked = written === null ? ({ ok: true, value: undefined } as const) : checkValue(field, written);
          const dangling = checked.ok && field.type === 'customerReference' && checked.value !== undefined && checked.value !== referenced;
          const expected = dangling ? ({ ok: false, problem: 'no customer' } as const) : checked;
          let created: Awaited<ReturnType<typeof api>> | undefined;
          const requests = await recordRequests(async () => {
            created = await api('createCrmCustomer', { body: { name: 'Prop', type: 'PERSON', customFields: { field_x: written } } });
          });
          if (!expected.ok) {
            expect(created!.status, JSON.stringify(created!.body)).toBe(400);
            // The field's own problem, or what the kernel refuses before any handler (a number DynamoDB cannot store).
            expect(created!.body.detail).toMatch(/customFields\.field_x/);
            expect(requests.filter((r) => r.write && !r.key.includes('#USER#'))).toEqual([]);
            return;
          }
          accepted++;
          expect(created!.status, JSON.stringify(created!.body)).toBe(201);
          const id = created!.body.id as string;
          expect(created!.body.customFields.field_x).toEqual(expected.value);
          expect((await api('getCrmCustomer', { params: { id } })).body.customFields.field_x).toEqual(expected.value);
          const v4 = (await api('retrieveCustomer', { params: { id } })).body;
          expect(characteristicOf(v4)?.value).toEqual(expected.value);
          const v5 = (await api('retrieveCustomerV5', { params: { id } })).body;
          expect(characteristicOf(v5)?.value).toEqual(expected.value);
          if (expected.value !== undefined) expect(characteristicOf(v5)?.['@type']).toMatch(/Characteristic$/);
          const v3 = (await api('retrieveCustomerV3', { params: { id } })).body;
          expect(characteristicOf(v3)?.value).toEqual(
            typeof expected.value === 'string' || expected.value === undefined ? expected.value : JSON.stringify(expected.value),
          );
          // Each generation sending its view back unchanged changes nothing: the stored value is kept as it was.
          for (const name of ['patchCustomer', 'patchCustomerV3', 'patchCustomerV5']) {
            const view = (await api(name.replace('patch', 'retrieve'), { params: { id } })).body;
            const patched = await api(name, { params: { id }, body: { characteristic: view.characteristic } });
            expect(patched.status, `${name} ${JSON.stringify(patched.body)}`).toBe(200);
            expect(patched.headers.etag, name).toBe('"1"');
          }
        },
      ),
      { seed: FUZZ_SEED, numRuns: RUNS, endOnFailure: true },
    );
    // The generated values reach both sides.
    expect(accepted).toBeGreaterThan(RUNS / 5);
    expect(accepted).toBeLessThan(RUNS);
  }, 300_000);
});
