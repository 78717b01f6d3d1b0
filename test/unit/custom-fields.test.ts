import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkCustomValues,
  checkValue,
  CUSTOM_FIELD_LIMITS,
  CUSTOM_FIELDS_SCHEMA_KEYWORDS,
  customFieldsJsonSchema,
  customValuesBudgetProblem,
  definitionChangeProblems,
  definitionProblems,
  FIELD_TYPES,
  loadFieldEngines,
  uniqueValueKey,
  type FieldDefinition,
  type FieldType,
} from '../../functions/domain/custom-fields.ts';

const field = (type: FieldType, extra: Partial<FieldDefinition> = {}): FieldDefinition => ({ key: `f_${type.toLowerCase()}`, label: type, type, ...extra });
const accepted = (definition: FieldDefinition, value: unknown) => {
  const checked = checkValue(definition, value);
  if (!checked.ok) throw new Error(`refused ${JSON.stringify(value)}: ${checked.problem}`);
  return checked.value;
};
const problem = (definition: FieldDefinition, value: unknown) => {
  const checked = checkValue(definition, value);
  return checked.ok ? undefined : checked.problem;
};

// checkValue runs on loaded engines (the write paths load them through checkCustomValues).
beforeAll(() => loadFieldEngines([{ key: 'p', label: 'P', type: 'phone', pattern: '.' }]));

describe('custom field values', () => {
  it('takes each type as it is meant and stores it normalised', async () => {
    expect(accepted(field('string', { maxLength: 5 }), 'abcde')).toBe('abcde');
    expect(problem(field('string', { maxLength: 5 }), 'abcdef')).toBe('must be at most 5 characters');
    expect(accepted(field('integer', { min: 0, max: 10 }), 10)).toBe(10);
    expect(problem(field('integer', { min: 0, max: 10 }), 11)).toBe('must be at most 10');
    expect(problem(field('integer'), 1.5)).toMatch(/whole number/);
    expect(accepted(field('decimal', { scale: 2 }), 12.34)).toBe(12.34);
    expect(problem(field('decimal', { scale: 2 }), 12.345)).toBe('must have at most 2 digits after the point');
    expect(accepted(field('date'), '2024-02-29')).toBe('2024-02-29');
    expect(problem(field('date'), '2023-02-29')).toBe('is not a date of the calendar');
    expect(accepted(field('datetime'), '2026-12-02T14:00:00+01:00')).toBe('2026-12-02T13:00:00.000Z');
    expect(problem(field('datetime'), '2026-12-02T14:00:00')).toMatch(/offset/);
    expect(accepted(field('email'), ' Ann.Lee@Example.COM ')).toBe('Ann.Lee@example.com');
    expect(problem(field('email'), 'ann@')).toBe('must be an e-mail address');
    expect(accepted(field('phone'), '+31 6 1234 5678')).toBe('+31612345678');
    expect(accepted(field('phone', { defaultCountry: 'NL' }), '06 12345678')).toBe('+31612345678');
    expect(problem(field('phone'), '06 12345678')).toMatch(/international form/);
    expect(accepted(field('url'), 'https://example.com/x')).toBe('https://example.com/x');
    expect(problem(field('url'), 'javascript:alert(1)')).toBe('must be an http or https URL');
    expect(accepted(field('money'), { amount: 10.5, currency: 'EUR' })).toEqual({ amount: 10.5, currency: 'EUR' });
    expect(problem(field('money'), { amount: 10.5, currency: 'JPY' })).toBe('amount must have at most 0 digits after the point in JPY');
    expect(problem(field('money'), { amount: 1, currency: 'XYZ' })).toMatch(/ISO 4217/);
    expect(accepted(field('customerReference'), 'c-123')).toBe('c-123');
  });

  it('keeps retired options out of new writes, and names what is wrong in a multi-enum', async () => {
    const segment = field('enum', {
      options: [
        { key: 'retail', label: 'Retail' },
        { key: 'sme', label: 'SME', retired: true },
      ],
    });
    expect(accepted(segment, 'retail')).toBe('retail');
    expect(problem(segment, 'sme')).toBe('is a retired option');
    expect(problem(segment, 'corporate')).toBe("is not one of the field's options");
    const tags = field('multiEnum', {
      options: [
        { key: 'a', label: 'A' },
        { key: 'b', label: 'B' },
      ],
    });
    expect(accepted(tags, ['b', 'a'])).toEqual(['b', 'a']);
    expect(problem(tags, ['a', 'a'])).toBe('names an option more than once');
    expect(problem(tags, ['a', 'x'])).toBe("[1] is not one of the field's options");
  });

  it('matches patterns with RE2 in linear time, even one a backtracking engine would never finish', async () => {
    const iban = field('string', { pattern: '^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$' });
    expect(accepted(iban, 'NL91ABNA0417164300')).toBe('NL91ABNA0417164300');
    expect(problem(iban, 'nl91')).toBe('must match the pattern ^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$');
    // (a+)+$ against a's and a final b: exponential for JavaScript's RegExp, linear for RE2.
    const evil = field('text', { pattern: '(a+)+$' });
    expect(problem(evil, `${'a'.repeat(5000)}b`)).toBe('must match the pattern (a+)+$');
  });

  it('makes unique values of one e-mail or phone one value', async () => {
    const email = field('email', { unique: true });
    expect(uniqueValueKey(email, accepted(email, 'Ann@Example.com'))).toBe(uniqueValueKey(email, accepted(email, 'ann@example.COM')));
    const phone = field('phone', { unique: true, defaultCountry: 'NL' });
    expect(uniqueValueKey(phone, accepted(phone, '+31612345678'))).toBe(uniqueValueKey(phone, accepted(phone, '06-1234 5678')));
  });

  it('never throws, and what it accepts it accepts again unchanged (normalising twice is normalising once)', async () => {
    const definitions = FIELD_TYPES.map((type) =>
      field(
        type,
        type === 'enum' || type === 'multiEnum'
          ? {
              options: [
                { key: 'a', label: 'A' },
                { key: 'b', label: 'B' },
              ],
            }
          : {},
      ),
    );
    const values = fc.oneof(
      fc.jsonValue(),
      fc.emailAddress(),
      fc.webUrl(),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      fc.record({ amount: fc.double({ noNaN: true }), currency: fc.constantFrom('EUR', 'JPY', 'BHD', 'XXX') }),
      fc.stringMatching(/^\+31 ?6 ?\d{8}$/),
      fc.constantFrom('a', 'b', ['a'], ['a', 'b'], ['b', 'b']),
    );
    fc.assert(
      fc.property(fc.constantFrom(...definitions), values, (definition, value) => {
        const first = checkValue(definition, value);
        if (first.ok) expect(checkValue(definition, first.value)).toEqual(first);
        else expect(first.problem.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('custom field definitions', () => {
  it('are consistent or refused, with every problem named', async () => {
    expect(await definitionProblems(field('string', { maxLength: 20, pattern: '^[a-z]+$', unique: true }))).toEqual([]);
    expect(await definitionProblems({ key: 'Bad-Key', label: '', type: 'integer', pattern: 'x', minLength: 2, min: 5, max: 1 })).toEqual([
      'key must start with a lower-case letter and hold only a-z, 0-9 and _ (at most 63)',
      'label must be 1 to 200 characters',
      'minLength does not apply to an integer field',
      'pattern does not apply to an integer field',
      'min must not be above max',
    ]);
    expect((await definitionProblems(field('string', { pattern: '(?<=a)b' })))[0]).toMatch(/^pattern is not an RE2 pattern/);
    expect(await definitionProblems(field('enum', { options: [] }))).toEqual(['options must name at least one option']);
    expect(
      await definitionProblems(
        field('enum', {
          options: [
            { key: 'a', label: 'A' },
            { key: 'a', label: 'B' },
          ],
        }),
      ),
    ).toEqual(["options[1].key repeats 'a'"]);
    expect(await definitionProblems(field('integer', { default: 'x' }))).toEqual(['default must be a whole number (at most 2^53 - 1 either way)']);
    expect(await definitionProblems(field('email', { unique: true, default: 'a@b.co' }))).toEqual([
      'default cannot be given to a unique field (every customer would hold the same value)',
    ]);
    expect(await definitionProblems(field('boolean', { unique: true }))).toEqual(['unique does not apply to a boolean field']);
  });

  it('take 2,000 options, not one more', async () => {
    const options = Array.from({ length: CUSTOM_FIELD_LIMITS.options + 1 }, (_, i) => ({ key: `o${i}`, label: `Option ${i}` }));
    expect(await definitionProblems(field('multiEnum', { options: options.slice(0, -1) }))).toEqual([]);
    expect(await definitionProblems(field('multiEnum', { options }))).toEqual(['options must be at most 2000']);
  });
});

describe("a write's custom values", () => {
  const definitions = new Map<string, FieldDefinition>(
    [
      { key: 'kyc_review', label: 'KYC review', type: 'date', required: true },
      { key: 'segment', label: 'Segment', type: 'enum', options: [{ key: 'retail', label: 'Retail' }], default: 'retail' },
      { key: 'score', label: 'Score', type: 'integer', min: 0, max: 100 },
      { key: 'old', label: 'Old', type: 'string', archived: true },
      { key: 'notes', label: 'Notes', type: 'text' },
    ].map((d) => [d.key, d as FieldDefinition]),
  );

  it('on a create: defaults fill in, a required field must be there, and every problem is named at once', async () => {
    expect(await checkCustomValues(definitions, { kyc_review: '2026-01-31', score: 7 }, { creating: true })).toEqual({
      values: { kyc_review: '2026-01-31', score: 7, segment: 'retail' },
      problems: [],
    });
    expect((await checkCustomValues(definitions, { score: 101, old: 'x', nope: 1 }, { creating: true })).problems).toEqual([
      'customFields.score must be at most 100',
      'customFields.old is an archived field: it takes no values',
      'customFields.nope is not a field of this tenant',
      'customFields.kyc_review is required',
    ]);
  });

  it('on a change: null clears, except a required field; only what is given is checked', async () => {
    expect(await checkCustomValues(definitions, { score: null }, { creating: false })).toEqual({ values: { score: null }, problems: [] });
    expect((await checkCustomValues(definitions, { kyc_review: null }, { creating: false })).problems).toEqual([
      'customFields.kyc_review is required: it cannot be cleared',
    ]);
  });

  it("refuses values past a customer's budget, naming it", async () => {
    const wide = new Map<string, FieldDefinition>(
      Array.from({ length: 8 }, (_, i) => [`t${i}`, { key: `t${i}`, label: `T${i}`, type: 'text' } as FieldDefinition]),
    );
    const values = Object.fromEntries([...wide.keys()].map((key) => [key, 'x'.repeat(CUSTOM_FIELD_LIMITS.textLength)]));
    const checked = await checkCustomValues(wide, values, { creating: true });
    expect(checked.problems).toEqual([]);
    expect(customValuesBudgetProblem(checked.values)).toBe(
      `customFields would take ${JSON.stringify(values).length} bytes; a customer's custom values take at most ${CUSTOM_FIELD_LIMITS.valuesBytes} (the largest: customFields.t0, ${JSON.stringify({ t0: values.t0 }).length} bytes)`,
    );
    expect(customValuesBudgetProblem({ t0: 'x' })).toBeUndefined();
  });
});

describe('the custom fields JSON Schema', () => {
  const options = [
    { key: 'retail', label: 'Retail' },
    { key: 'sme', label: 'SME', retired: true },
    { key: 'corporate', label: 'Corporate' },
  ];
  const definitions: FieldDefinition[] = [
    field('string', { maxLength: 40, pattern: '^[A-Z]', unique: true, group: 'Identity' }),
    field('text', { minLength: 1 }),
    field('integer', { min: 0, max: 1000, required: true }),
    field('decimal', { scale: 3, min: -5 }),
    field('boolean', { sensitive: true }),
    field('date'),
    field('datetime'),
    field('enum', { options, default: 'retail' }),
    field('multiEnum', { options, searchable: true }),
    field('email', { unique: true }),
    field('phone', { defaultCountry: 'NL' }),
    field('url'),
    field('money', { max: 1e9 }),
    field('customerReference'),
    { key: 'gone', label: 'Gone', type: 'string', archived: true },
  ];
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  (addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addVocabulary(CUSTOM_FIELDS_SCHEMA_KEYWORDS);
  const schema = customFieldsJsonSchema(definitions, 'https://rapport.example/fields/customer/schema');
  const validate = ajv.compile(schema);

  it('is valid JSON Schema 2020-12 for a strict validator, describing the active fields and what a create needs', async () => {
    expect(Object.keys(schema.properties as object)).toEqual(
      definitions
        .filter((d) => !d.archived)
        .map((d) => d.key)
        .sort(),
    );
    expect(schema.required).toEqual(['f_integer']);
    expect(validate({ f_integer: 3, gone: 'x' })).toBe(false);
    expect(validate({})).toBe(false);
  });

  it('accepts every value the write checks accept, as they store it', async () => {
    const values = fc.oneof(
      fc.string({ maxLength: 50 }),
      fc.integer({ min: -10, max: 2000 }),
      fc.double({ min: -10, max: 10, noNaN: true }).map((n) => Math.round(n * 1000) / 1000),
      fc.boolean(),
      fc.date({ min: new Date('1900-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }).map((d) => d.toISOString()),
      fc.date({ min: new Date('1900-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      fc.constantFrom('retail', 'corporate', ['retail'], ['corporate', 'retail']),
      fc.emailAddress(),
      fc.stringMatching(/^0?6[- ]?\d{8}$/),
      fc.webUrl(),
      fc.record({ amount: fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100), currency: fc.constantFrom('EUR', 'USD') }),
    );
    const active = definitions.filter((d) => !d.archived);
    fc.assert(
      fc.property(fc.constantFrom(...active), values, (definition, value) => {
        const checked = checkValue(definition, value);
        if (!checked.ok) return;
        const record = { f_integer: 1, [definition.key]: checked.value };
        if (!validate(record)) throw new Error(`${definition.key} ${JSON.stringify(checked.value)}: ${ajv.errorsText(validate.errors)}`);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('changes of a definition', () => {
  const notes = field('string', { key: 'notes', maxLength: 100 });
  it('allows the safe type changes and nothing else, with the reason', async () => {
    expect(definitionChangeProblems(notes, { ...notes, type: 'text' })).toEqual([]);
    expect(definitionChangeProblems(field('integer'), { ...field('integer'), type: 'decimal' })).toEqual([]);
    for (const from of ['email', 'phone', 'url'] as const) expect(definitionChangeProblems(field(from), { ...field(from), type: 'string' })).toEqual([]);
    expect(definitionChangeProblems(notes, { ...notes, type: 'integer' })[0]).toMatch(
      /^type cannot change from string to integer: stored values would need a migration/,
    );
    expect(definitionChangeProblems(field('decimal'), { ...field('decimal'), type: 'integer' })).toHaveLength(1);
    const unique = field('email', { unique: true });
    expect(definitionChangeProblems(unique, { ...unique, type: 'string' })).toEqual([
      'type of a unique field cannot change (its values are claimed by their email form)',
    ]);
  });

  it('keeps key, uniqueness and every option', async () => {
    expect(definitionChangeProblems(notes, { ...notes, key: 'other' })).toEqual(['key cannot change: keys are immutable']);
    expect(definitionChangeProblems(notes, { ...notes, unique: true })[0]).toMatch(/^unique cannot change after creation/);
    const segment = field('enum', {
      options: [
        { key: 'a', label: 'A' },
        { key: 'b', label: 'B' },
      ],
    });
    expect(
      definitionChangeProblems(segment, {
        ...segment,
        options: [
          { key: 'a', label: 'A' },
          { key: 'b', label: 'B', retired: true },
          { key: 'c', label: 'C' },
        ],
      }),
    ).toEqual([]);
    expect(definitionChangeProblems(segment, { ...segment, options: [{ key: 'b', label: 'B' }] })).toEqual([
      "options cannot drop 'a': stored values keep it; retire it instead (retired: true)",
    ]);
  });

  it('reserves the path words of the field API as keys', async () => {
    expect(await definitionProblems(field('string', { key: 'schema' }))).toEqual(["key 'schema' is reserved"]);
  });
});
