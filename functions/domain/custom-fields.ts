/**
 * Custom fields (issue 24): a tenant's own customer fields, as data — a definition per field, and
 * the rules every write applies to its values. This module is the model only: what a definition
 * may say, whether it is consistent, and what a value must be to be stored (and how it is stored:
 * normalised, so that two spellings of one e-mail address or phone number are one value, for
 * uniqueness and for search). Storage, the field API and the families use it; nothing here reads
 * the table.
 *
 * Patterns are RE2 (npm `re2js`): matching is linear in the input whatever the tenant wrote, so a
 * pattern cannot make a write hang (no backtracking engine ever sees tenant input). Phone numbers
 * are parsed and stored as E.164 (npm `libphonenumber-js`, its `min` metadata). Currencies are
 * ISO 4217 as the runtime's ICU knows them (`Intl.supportedValuesOf('currency')`).
 *
 * The two engines are 264 KB of a function's bundle and build tables as they load, so they are
 * imported dynamically (`loadFieldEngines`): esbuild keeps a dynamically imported module's code
 * unevaluated until it is asked for, and a function whose tenant has no pattern and no phone field
 * never evaluates them. `checkCustomValues` and `definitionProblems` load what they need.
 */
import type { parsePhoneNumberWithError } from 'libphonenumber-js/min';
import type { RE2JS } from 're2js';
import { isJsonObject } from './canonical-json.ts';

/** A field's immutable key: lower case, digits and `_`, at most 63 characters, never reused. */
export const FIELD_KEY = /^[a-z][a-z0-9_]{0,62}$/;

/** Keys a field may not take: the field API's own path words (`GET /api/v1/fields/customer/schema`). */
export const RESERVED_FIELD_KEYS: readonly string[] = ['schema'];

/** The objects custom fields are defined for. Customers first; activities and opportunities take the same definitions, storage and API. */
export const FIELD_OBJECTS = ['customer'] as const;
export type FieldObject = (typeof FIELD_OBJECTS)[number];

export const FIELD_TYPES = [
  'string',
  'text',
  'integer',
  'decimal',
  'boolean',
  'date',
  'datetime',
  'enum',
  'multiEnum',
  'email',
  'phone',
  'url',
  'money',
  'customerReference',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Limits (README, "Custom fields"): more than the peers allow, and far inside DynamoDB's 400 KB item. */
export const CUSTOM_FIELD_LIMITS = {
  /** Definitions per tenant and object, archived ones included (their keys are never reused). */
  fieldsPerTenant: 500,
  /** Unique fields per tenant and object (HubSpot: 10). Each costs one item per value in a write's transaction. */
  uniqueFields: 20,
  /** Options of an enum or multi-enum field, retired ones included. */
  options: 2000,
  /** Characters of a string value (and its maxLength), of a long-text value. */
  stringLength: 1000,
  textLength: 10_000,
  /** Characters of an RE2 pattern. */
  patternLength: 500,
  /** Stored bytes of one customer's custom values, all fields together: 64 KB of the item's 400 KB. */
  valuesBytes: 64 * 1024,
  /** Labels, descriptions, groups, option labels. */
  labelLength: 200,
  descriptionLength: 1000,
  /** Stored bytes of one definition (its options, labels, default): a quarter of DynamoDB's 400 KB item. */
  definitionBytes: 100 * 1024,
  /** Stored bytes of a tenant's definitions of an object together: what every function instance reads again every 5 s. */
  definitionsBytes: 1024 * 1024,
} as const;

export interface FieldOption {
  /** Stable: what is stored. */
  key: string;
  label: string;
  /** A retired option is refused in new writes; values already stored keep it (shown, flagged). */
  retired?: boolean;
}

export interface FieldDefinition {
  key: string;
  label: string;
  description?: string;
  group?: string;
  type: FieldType;
  required?: boolean;
  unique?: boolean;
  /** integer, decimal, money (its amount): bounds of the value. */
  min?: number;
  max?: number;
  /** string, text: bounds of its length in characters (code points). */
  minLength?: number;
  maxLength?: number;
  /** string, text: an RE2 pattern the value must contain a match of (anchor it with ^…$ for a whole match). */
  pattern?: string;
  /** decimal: digits after the point (0 to 10). */
  scale?: number;
  /** enum, multiEnum: the options. */
  options?: FieldOption[];
  /** phone: the country (ISO 3166 alpha-2) a number without a leading + belongs to. */
  defaultCountry?: string;
  /** Written on a create that leaves the field out. */
  default?: unknown;
  /** Personal data: the access rules (issue 25) and the export decide who sees it. */
  sensitive?: boolean;
  /** Offered to search (issue 26). */
  searchable?: boolean;
  /** Archived: hidden from every view and refused in writes; stored values are kept. */
  archived?: boolean;
}

/** Which constraints each type takes; any other is refused in its definition. */
const CONSTRAINTS: Record<FieldType, readonly (keyof FieldDefinition)[]> = {
  string: ['minLength', 'maxLength', 'pattern', 'unique'],
  text: ['minLength', 'maxLength', 'pattern'],
  integer: ['min', 'max', 'unique'],
  decimal: ['min', 'max', 'scale'],
  boolean: [],
  date: [],
  datetime: [],
  enum: ['options'],
  multiEnum: ['options'],
  email: ['unique'],
  phone: ['defaultCountry', 'unique'],
  url: ['unique'],
  money: ['min', 'max'],
  customerReference: ['unique'],
};
const CONSTRAINT_NAMES = ['min', 'max', 'minLength', 'maxLength', 'pattern', 'scale', 'options', 'defaultCountry', 'unique'] as const;

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
/** Digits after the point of an amount in `currency` (EUR 2, JPY 0, BHD 3), as ICU knows them. */
const minorUnits = (currency: string): number => new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

const codePoints = (value: string): number => [...value].length;

/** A number with at most `scale` digits after the point (checked on its shortest decimal form). */
const fitsScale = (value: number, scale: number): boolean => {
  const text = String(Math.abs(value));
  if (/e/i.test(text)) return Number(value.toFixed(Math.min(scale, 100))) === value;
  const point = text.indexOf('.');
  return point === -1 || text.length - point - 1 <= scale;
};

/** The engines, once loaded in this instance. */
const engines: { re2?: typeof RE2JS; phone?: typeof parsePhoneNumberWithError } = {};

/** Loads the engines these definitions need (RE2 for patterns, libphonenumber-js for phone fields), once per instance. */
export const loadFieldEngines = async (definitions: Iterable<FieldDefinition>): Promise<void> => {
  if (engines.re2 && engines.phone) return;
  const list = [...definitions];
  if (!engines.re2 && list.some((d) => d.pattern !== undefined)) await loadRegexEngine();
  if (!engines.phone && list.some((d) => d.type === 'phone')) engines.phone = (await import('libphonenumber-js/min')).parsePhoneNumberWithError;
};

/** RE2 (npm `re2js`), loaded once per instance: custom field patterns and search's `regex` operator share it (one dynamic import). */
export const loadRegexEngine = async (): Promise<typeof RE2JS> => (engines.re2 ??= (await import('re2js')).RE2JS);

const engine = <K extends keyof typeof engines>(name: K): NonNullable<(typeof engines)[K]> => {
  const loaded = engines[name];
  if (!loaded) throw new Error(`custom fields: the ${name} engine is not loaded (loadFieldEngines first)`);
  return loaded as NonNullable<(typeof engines)[K]>;
};

const compilePattern = (pattern: string): RE2JS | string => {
  try {
    return engine('re2').compile(pattern);
  } catch (error) {
    return `is not an RE2 pattern (${(error as Error).message})`;
  }
};
const compiled = new Map<string, RE2JS>();
const patternOf = (pattern: string): RE2JS | undefined => {
  let regex = compiled.get(pattern);
  if (!regex) {
    const result = compilePattern(pattern);
    if (typeof result === 'string') return undefined;
    regex = result;
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex;
};

const EMAIL = /^[^\s@"<>()[\]\\,;:]{1,64}@(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

export type Checked = { ok: true; value: unknown } | { ok: false; problem: string };
const ok = (value: unknown): Checked => ({ ok: true, value });
const refused = (problem: string): Checked => ({ ok: false, problem });

const checkBounds = (definition: FieldDefinition, value: number, what = 'must be'): string | undefined => {
  if (definition.min !== undefined && value < definition.min) return `${what} at least ${definition.min}`;
  if (definition.max !== undefined && value > definition.max) return `${what} at most ${definition.max}`;
  return undefined;
};

const checkText = (definition: FieldDefinition, value: unknown, limit: number): Checked => {
  if (typeof value !== 'string') return refused('must be a string');
  const length = codePoints(value);
  const max = Math.min(definition.maxLength ?? limit, limit);
  if (length > max) return refused(`must be at most ${max} characters`);
  if (definition.minLength !== undefined && length < definition.minLength) return refused(`must be at least ${definition.minLength} characters`);
  if (definition.pattern !== undefined && !patternOf(definition.pattern)?.matcher(value).find()) return refused(`must match the pattern ${definition.pattern}`);
  return ok(value);
};

const checkOption = (definition: FieldDefinition, value: unknown): string | undefined => {
  if (typeof value !== 'string') return 'must be an option key (a string)';
  const option = definition.options?.find((o) => o.key === value);
  if (!option) return `is not one of the field's options`;
  if (option.retired) return `is a retired option`;
  return undefined;
};

/**
 * A value for a write, checked against its definition and normalised as it is stored: e-mail with
 * its domain in lower case, phone as E.164, date-time in UTC, multi-enum keys once each. Retired
 * options and archived fields are refused (what is stored stays). Throws only when the engine the
 * definition needs was not loaded (loadFieldEngines).
 */
export const checkValue = (definition: FieldDefinition, value: unknown): Checked => {
  if (definition.archived) return refused('is an archived field: it takes no values');
  switch (definition.type) {
    case 'string':
      return checkText(definition, value, CUSTOM_FIELD_LIMITS.stringLength);
    case 'text':
      return checkText(definition, value, CUSTOM_FIELD_LIMITS.textLength);
    case 'integer': {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return refused('must be a whole number (at most 2^53 - 1 either way)');
      const problem = checkBounds(definition, value);
      return problem ? refused(problem) : ok(value);
    }
    case 'decimal': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return refused('must be a number');
      const scale = definition.scale ?? 2;
      if (!fitsScale(value, scale)) return refused(`must have at most ${scale} digits after the point`);
      const problem = checkBounds(definition, value);
      return problem ? refused(problem) : ok(value);
    }
    case 'boolean':
      return typeof value === 'boolean' ? ok(value) : refused('must be true or false');
    case 'date': {
      const match = typeof value === 'string' ? DATE.exec(value) : null;
      if (!match) return refused('must be a date (YYYY-MM-DD)');
      const [, y, m, d] = match.map(Number) as [number, number, number, number];
      const date = new Date(Date.UTC(y, m - 1, d));
      return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? ok(value) : refused('is not a date of the calendar');
    }
    case 'datetime': {
      if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))
        return refused('must be a date-time with its offset (RFC 3339)');
      return ok(new Date(value).toISOString());
    }
    case 'enum': {
      const problem = checkOption(definition, value);
      return problem ? refused(problem) : ok(value);
    }
    case 'multiEnum': {
      if (!Array.isArray(value)) return refused('must be a list of option keys');
      if (value.length > (definition.options?.length ?? 0)) return refused('has more entries than the field has options');
      for (const [i, entry] of value.entries()) {
        const problem = checkOption(definition, entry);
        if (problem) return refused(`[${i}] ${problem}`);
      }
      if (new Set(value).size !== value.length) return refused('names an option more than once');
      return ok(value);
    }
    case 'email': {
      if (typeof value !== 'string' || value.length > 320 || !EMAIL.test(value.trim())) return refused('must be an e-mail address');
      const trimmed = value.trim();
      const at = trimmed.lastIndexOf('@');
      return ok(`${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}`);
    }
    case 'phone': {
      if (typeof value !== 'string' || value.length > 64) return refused('must be a phone number (a string)');
      try {
        const number = engine('phone')(value, definition.defaultCountry as Parameters<typeof parsePhoneNumberWithError>[1]);
        return number.isValid() ? ok(number.number) : refused('is not a valid phone number');
      } catch {
        return refused(definition.defaultCountry ? 'is not a phone number' : 'must be a phone number in international form (+ and the country code)');
      }
    }
    case 'url': {
      if (typeof value !== 'string' || value.length > 2000 || !URL.canParse(value)) return refused('must be an absolute URL');
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:' ? ok(value) : refused('must be an http or https URL');
    }
    case 'money': {
      if (!isJsonObject(value) || Object.keys(value).some((k) => k !== 'amount' && k !== 'currency')) return refused('must be { amount, currency }');
      const { amount, currency } = value;
      if (typeof currency !== 'string' || !CURRENCIES.has(currency)) return refused('currency must be an ISO 4217 code (EUR, USD, JPY …)');
      if (typeof amount !== 'number' || !Number.isFinite(amount)) return refused('amount must be a number');
      const units = minorUnits(currency);
      if (!fitsScale(amount, units)) return refused(`amount must have at most ${units} digits after the point in ${currency}`);
      const problem = checkBounds(definition, amount, 'amount must be');
      return problem ? refused(problem) : ok({ amount, currency });
    }
    case 'customerReference':
      return typeof value === 'string' && value.length > 0 && value.length <= 128 && !value.includes('#') ? ok(value) : refused("must be a customer's id");
  }
};

/**
 * What makes two stored values of a unique field the same value: e-mail addresses
 * case-insensitively, everything else as normalised by `checkValue` (phone as E.164).
 */
export const uniqueValueKey = (definition: FieldDefinition, stored: unknown): string =>
  definition.type === 'email' ? String(stored).toLowerCase() : typeof stored === 'string' ? stored : JSON.stringify(stored);

/** Everything wrong with a definition, at once (empty when it may be stored), each naming the attribute. */
export const definitionProblems = async (definition: FieldDefinition): Promise<string[]> => {
  await loadFieldEngines([definition]);
  const problems: string[] = [];
  const at = (name: string, problem: string) => problems.push(`${name} ${problem}`);
  if (!FIELD_KEY.test(definition.key)) at('key', 'must start with a lower-case letter and hold only a-z, 0-9 and _ (at most 63)');
  else if (RESERVED_FIELD_KEYS.includes(definition.key)) at('key', `'${definition.key}' is reserved`);
  if (!FIELD_TYPES.includes(definition.type)) {
    at('type', `must be one of ${FIELD_TYPES.join(', ')}`);
    return problems;
  }
  if (!definition.label || codePoints(definition.label) > CUSTOM_FIELD_LIMITS.labelLength)
    at('label', `must be 1 to ${CUSTOM_FIELD_LIMITS.labelLength} characters`);
  if (definition.description !== undefined && codePoints(definition.description) > CUSTOM_FIELD_LIMITS.descriptionLength)
    at('description', `must be at most ${CUSTOM_FIELD_LIMITS.descriptionLength} characters`);
  if (definition.group !== undefined && (!definition.group || codePoints(definition.group) > CUSTOM_FIELD_LIMITS.labelLength))
    at('group', `must be 1 to ${CUSTOM_FIELD_LIMITS.labelLength} characters`);
  const allowed = CONSTRAINTS[definition.type];
  for (const name of CONSTRAINT_NAMES)
    if (definition[name] !== undefined && definition[name] !== false && !allowed.includes(name))
      at(name, `does not apply to ${/^[aeiou]/.test(definition.type) ? 'an' : 'a'} ${definition.type} field`);
  if (definition.min !== undefined && definition.max !== undefined && definition.min > definition.max) at('min', 'must not be above max');
  if (definition.minLength !== undefined && definition.maxLength !== undefined && definition.minLength > definition.maxLength)
    at('minLength', 'must not be above maxLength');
  const lengthLimit = definition.type === 'text' ? CUSTOM_FIELD_LIMITS.textLength : CUSTOM_FIELD_LIMITS.stringLength;
  for (const name of ['minLength', 'maxLength'] as const) {
    const n = definition[name];
    if (n !== undefined && (!Number.isInteger(n) || n < 0 || n > lengthLimit)) at(name, `must be a whole number from 0 to ${lengthLimit}`);
  }
  if (definition.scale !== undefined && (!Number.isInteger(definition.scale) || definition.scale < 0 || definition.scale > 10))
    at('scale', 'must be a whole number from 0 to 10');
  if (definition.pattern !== undefined) {
    if (definition.pattern.length > CUSTOM_FIELD_LIMITS.patternLength) at('pattern', `must be at most ${CUSTOM_FIELD_LIMITS.patternLength} characters`);
    else {
      const result = compilePattern(definition.pattern);
      if (typeof result === 'string') at('pattern', result);
    }
  }
  if (definition.type === 'enum' || definition.type === 'multiEnum') {
    const options = definition.options ?? [];
    if (options.length === 0) at('options', 'must name at least one option');
    if (options.length > CUSTOM_FIELD_LIMITS.options) at('options', `must be at most ${CUSTOM_FIELD_LIMITS.options}`);
    const keys = new Set<string>();
    for (const [i, option] of options.entries()) {
      if (!FIELD_KEY.test(option.key)) at(`options[${i}].key`, 'must start with a lower-case letter and hold only a-z, 0-9 and _ (at most 63)');
      else if (keys.has(option.key)) at(`options[${i}].key`, `repeats '${option.key}'`);
      keys.add(option.key);
      if (!option.label || codePoints(option.label) > CUSTOM_FIELD_LIMITS.labelLength)
        at(`options[${i}].label`, `must be 1 to ${CUSTOM_FIELD_LIMITS.labelLength} characters`);
    }
  }
  if (definition.defaultCountry !== undefined && !/^[A-Z]{2}$/.test(definition.defaultCountry)) at('defaultCountry', 'must be an ISO 3166 alpha-2 code');
  if (definition.unique && definition.default !== undefined) at('default', 'cannot be given to a unique field (every customer would hold the same value)');
  if (definition.default !== undefined && problems.length === 0) {
    const checked = checkValue({ ...definition, archived: false }, definition.default);
    if (!checked.ok) at('default', checked.problem);
  }
  return problems;
};

/** Stored bytes of a definition, as the budget counts them (its JSON). */
export const definitionBytes = (definition: FieldDefinition): number => Buffer.byteLength(JSON.stringify(definition), 'utf8');

/**
 * Type changes that need no migration: every value stored under the old type is a value of the
 * new one, shown as it was (string → long text, integer → decimal, e-mail / phone / URL → string).
 * Any other is refused with this reason.
 */
export const SAFE_TYPE_CHANGES: Readonly<Partial<Record<FieldType, readonly FieldType[]>>> = {
  string: ['text'],
  integer: ['decimal'],
  email: ['string'],
  phone: ['string'],
  url: ['string'],
};

/**
 * What a change of a definition may not do, at once, beside the definition's own problems: change
 * its key or whether it is unique (a unique field's values are claimed at write; turning it on
 * would mean checking every stored value, off would leave claims behind), change its type other
 * than safely (SAFE_TYPE_CHANGES; never a unique field's), or remove an option (values keep their
 * keys: retire it instead). Archiving and restoring are their own operations.
 */
export const definitionChangeProblems = (before: FieldDefinition, after: FieldDefinition): string[] => {
  const problems: string[] = [];
  if (after.key !== before.key) problems.push(`key cannot change: keys are immutable`);
  if (Boolean(after.unique) !== Boolean(before.unique))
    problems.push(`unique cannot change after creation (a unique field claims its values as they are written; create a new field instead)`);
  if (after.type !== before.type) {
    const safe = SAFE_TYPE_CHANGES[before.type] ?? [];
    if (before.unique) problems.push(`type of a unique field cannot change (its values are claimed by their ${before.type} form)`);
    else if (!safe.includes(after.type))
      problems.push(
        `type cannot change from ${before.type} to ${after.type}: stored values would need a migration (safe: ${Object.entries(SAFE_TYPE_CHANGES)
          .map(([from, to]) => `${from} → ${to.join(', ')}`)
          .join('; ')})`,
      );
  }
  const kept = new Set((after.options ?? []).map((o) => o.key));
  for (const option of before.options ?? [])
    if (!kept.has(option.key)) problems.push(`options cannot drop '${option.key}': stored values keep it; retire it instead (retired: true)`);
  return problems;
};

/** Stored size of a customer's custom values, as DynamoDB counts a map (names and values). */
export const customValuesBytes = (values: Record<string, unknown>): number => Buffer.byteLength(JSON.stringify(values), 'utf8');

/**
 * A write's custom values checked against the tenant's definitions: every problem at once, each
 * naming its path (`customFields.<key>`); the values to store, normalised. On a create, defaults
 * fill what is left out and a required field must be given; on a change (`creating` false) `null`
 * clears a value (refused for a required field) and only the fields given are checked. The budget
 * of all values together is the stored map's (customValuesBudgetProblem), after the change.
 */
export const checkCustomValues = async (
  definitions: ReadonlyMap<string, FieldDefinition>,
  values: Record<string, unknown>,
  { creating, path = 'customFields' }: { creating: boolean; path?: string },
): Promise<{ values: Record<string, unknown>; problems: string[] }> => {
  await loadFieldEngines(definitions.values());
  const problems: string[] = [];
  const stored: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const definition = definitions.get(key);
    if (!definition) {
      problems.push(`${path}.${key} is not a field of this tenant`);
      continue;
    }
    if (value === null) {
      if (creating) continue;
      if (definition.required) problems.push(`${path}.${key} is required: it cannot be cleared`);
      else stored[key] = null;
      continue;
    }
    const checked = checkValue(definition, value);
    if (checked.ok) stored[key] = checked.value;
    else problems.push(`${path}.${key} ${checked.problem}`);
  }
  if (creating)
    for (const definition of definitions.values()) {
      const given = values[definition.key] !== undefined && values[definition.key] !== null;
      if (definition.archived || given) continue;
      const fallback = definition.default === undefined ? undefined : checkValue(definition, definition.default);
      if (fallback?.ok) stored[definition.key] = fallback.value;
      else if (definition.required) problems.push(`${path}.${definition.key} is required`);
    }
  return { values: stored, problems };
};

/**
 * Past the budget of a customer's stored custom values (all fields together, as stored after the
 * write): the problem, naming the largest value; undefined within it.
 */
export const customValuesBudgetProblem = (values: Record<string, unknown>, path = 'customFields'): string | undefined => {
  const bytes = customValuesBytes(values);
  if (bytes <= CUSTOM_FIELD_LIMITS.valuesBytes) return undefined;
  const [largest] = Object.entries(values)
    .map(([key, value]) => [key, customValuesBytes({ [key]: value })] as const)
    .sort((a, b) => b[1] - a[1]);
  return `${path} would take ${bytes} bytes; a customer's custom values take at most ${CUSTOM_FIELD_LIMITS.valuesBytes} (the largest: ${path}.${largest![0]}, ${largest![1]} bytes)`;
};

/** Rapport's own keywords in a custom-fields JSON Schema (a validator is told of them: `x-rapport-…`). */
export const CUSTOM_FIELDS_SCHEMA_KEYWORDS = [
  'x-rapport-unique',
  'x-rapport-sensitive',
  'x-rapport-searchable',
  'x-rapport-group',
  'x-rapport-re2-pattern',
  'x-rapport-options',
];

/** One field's value, as a read answers it (normalised; retired options included, as stored values keep them). */
const valueSchema = (definition: FieldDefinition): Record<string, unknown> => {
  const bounds = { ...(definition.min === undefined ? {} : { minimum: definition.min }), ...(definition.max === undefined ? {} : { maximum: definition.max }) };
  switch (definition.type) {
    case 'string':
    case 'text':
      return {
        type: 'string',
        maxLength: Math.min(
          definition.maxLength ?? Number.POSITIVE_INFINITY,
          definition.type === 'text' ? CUSTOM_FIELD_LIMITS.textLength : CUSTOM_FIELD_LIMITS.stringLength,
        ),
        ...(definition.minLength === undefined ? {} : { minLength: definition.minLength }),
        // RE2, not ECMA-262: left to a keyword of its own, so no client compiles it with a backtracking engine.
        ...(definition.pattern === undefined ? {} : { 'x-rapport-re2-pattern': definition.pattern }),
      };
    case 'integer':
      return { type: 'integer', ...bounds };
    case 'decimal':
      return { type: 'number', ...bounds };
    case 'boolean':
      return { type: 'boolean' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'datetime':
      return { type: 'string', format: 'date-time' };
    case 'enum':
    case 'multiEnum': {
      const options = definition.options ?? [];
      const keys = { enum: options.map((o) => o.key) };
      const labels = { 'x-rapport-options': options.map((o) => ({ key: o.key, label: o.label, ...(o.retired ? { retired: true } : {}) })) };
      return definition.type === 'enum'
        ? { type: 'string', ...keys, ...labels }
        : { type: 'array', items: { type: 'string', ...keys }, uniqueItems: true, ...labels };
    }
    case 'email':
      return { type: 'string', format: 'email' };
    case 'phone':
      return { type: 'string', pattern: '^\\+[1-9][0-9]{1,14}$' };
    case 'url':
      return { type: 'string', format: 'uri' };
    case 'money':
      return {
        type: 'object',
        properties: { amount: { type: 'number', ...bounds }, currency: { type: 'string', pattern: '^[A-Z]{3}$' } },
        required: ['amount', 'currency'],
        additionalProperties: false,
      };
    case 'customerReference':
      return { type: 'string', minLength: 1, maxLength: 128 };
  }
};

/**
 * The JSON Schema (2020-12) of a tenant's custom values as reads answer them — archived fields
 * left out, every active one described (label as title, its group, unique, sensitive and
 * searchable as `x-rapport-` keywords) — for clients to generate their types from. `required`
 * lists what a create must give.
 */
export const customFieldsJsonSchema = (definitions: Iterable<FieldDefinition>, id?: string): Record<string, unknown> => {
  const active = [...definitions].filter((d) => !d.archived).sort((a, b) => a.key.localeCompare(b.key));
  const required = active.filter((d) => d.required && d.default === undefined).map((d) => d.key);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...(id ? { $id: id } : {}),
    title: 'Custom fields',
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(
      active.map((d) => [
        d.key,
        {
          title: d.label,
          ...(d.description ? { description: d.description } : {}),
          ...valueSchema(d),
          ...(d.group ? { 'x-rapport-group': d.group } : {}),
          ...(d.unique ? { 'x-rapport-unique': true } : {}),
          ...(d.sensitive ? { 'x-rapport-sensitive': true } : {}),
          ...(d.searchable ? { 'x-rapport-searchable': true } : {}),
        },
      ]),
    ),
    ...(required.length > 0 ? { required } : {}),
  };
};
