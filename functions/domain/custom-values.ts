/**
 * A customer's custom values as every view shows them and as storage keeps them (issue 24). The
 * values are stored typed and normalised in one map, `customFields` (key → value), beside the
 * customer's other attributes: a search projection and field-level permissions read them as they
 * are, with the definitions saying what each is. What the views show depends on the definitions
 * in force: an archived field's values are kept and hidden; a retired option's values are shown
 * and flagged. TMF629 shows them as characteristics, typed by the field (v5's `@type`).
 */
import { createHash } from 'node:crypto';
import { isJsonObject, jsonEqual } from './canonical-json.ts';
import { uniqueValueKey, type FieldDefinition, type FieldType } from './custom-fields.ts';
import { tmfAttributesOf } from './customer-model.ts';

/** A tenant's definitions of an object by key, archived ones included. */
export type FieldsInForce = ReadonlyMap<string, FieldDefinition>;

/** The stored attribute holding a customer's custom values. */
export const CUSTOM_FIELDS = 'customFields';
/** The stored attribute holding the unique values a customer claims: field key → a hash of its normalised value. */
export const CUSTOM_FIELD_CLAIMS = 'customFieldClaims';

export type CustomValues = Record<string, unknown>;

/** The stored custom values of a record (none: an empty map). */
export const storedCustomValues = (record: Record<string, unknown>): CustomValues => {
  const stored = record[CUSTOM_FIELDS];
  return isJsonObject(stored) ? stored : {};
};

/**
 * What a read shows: the values of the active fields (archived fields and keys no definition
 * knows are hidden), and the retired options a value still holds, by field.
 */
export const shownCustomValues = (stored: CustomValues, fields: FieldsInForce): { values: CustomValues; retired: Record<string, string[]> } => {
  const values: CustomValues = {};
  const retired: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(stored)) {
    const definition = fields.get(key);
    if (!definition || definition.archived || value === null || value === undefined) continue;
    values[key] = value;
    if (definition.type === 'enum' || definition.type === 'multiEnum') {
      const held = (Array.isArray(value) ? value : [value]).filter((option) => definition.options?.find((o) => o.key === option)?.retired);
      if (held.length > 0) retired[key] = held.map(String);
    }
  }
  return { values, retired };
};

/** The stored values after a change: `changes` (checked; `null` clears) over `current`. */
export const changedCustomValues = (current: CustomValues, changes: CustomValues): CustomValues => {
  const next: CustomValues = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
};

/** What a change did to the values a view shows: each changed field, before and after (null: none); undefined when none changed. */
export const customValueChanges = (before: CustomValues, after: CustomValues): Record<string, { before: unknown; after: unknown }> | undefined => {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)]))
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = { before: before[key] ?? null, after: after[key] ?? null };
  return Object.keys(changes).length > 0 ? changes : undefined;
};

/** A unique value's claim: a hash of the value as uniqueness compares it (an external id exactly as given: external systems' ids are case-sensitive). */
export const claimHash = (text: string): string => createHash('sha256').update(text).digest('base64url');

/**
 * The unique values a customer with these stored values claims: for every unique field (archived
 * ones too: their values stay theirs), a hash of the value as uniqueness compares it (e-mail
 * case-insensitively, phone as E.164). Storage keeps one claim item per entry, written in the
 * customer's own transactions.
 */
export const uniqueClaimsOf = (values: CustomValues, fields: FieldsInForce): Record<string, string> => {
  const claims: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const definition = fields.get(key);
    if (!definition?.unique || value === null || value === undefined) continue;
    claims[key] = claimHash(uniqueValueKey(definition, value));
  }
  return claims;
};

/** The unique values a stored record claims, by field (none: an empty map). */
export const storedClaims = (record: Record<string, unknown>): Record<string, string> => {
  const claims = record[CUSTOM_FIELD_CLAIMS];
  return isJsonObject(claims) ? (claims as Record<string, string>) : {};
};

/**
 * The built-in unique value of a customer: its `externalId`, the id the system it came from knows
 * it by (an import's match key). Its claims live beside the custom fields' under this name, which
 * no custom field can take (their keys are lower case).
 */
export const EXTERNAL_ID = 'externalId';

/** Every unique value a stored customer claims, by field: its custom fields' and its external id's. */
export const claimsOfCustomer = (record: Record<string, unknown>): Record<string, string> => {
  const externalId = record[EXTERNAL_ID];
  return { ...storedClaims(record), ...(typeof externalId === 'string' ? { [EXTERNAL_ID]: claimHash(externalId) } : {}) };
};

/**
 * The record with these stored custom values and their claims (both attributes absent when there
 * are none). A value a source record holds unchanged keeps that record's claim (the record itself,
 * and in a merge the duplicates it takes values from): only a new or changed value is claimed from
 * the fields in force, so an instance whose definitions are a few seconds old never drops a claim
 * of a field it does not know yet.
 */
export const withCustomValues = <R extends Record<string, unknown>>(
  record: R,
  values: CustomValues,
  fields: FieldsInForce,
  sources: readonly Record<string, unknown>[] = [record],
): R => {
  const next: Record<string, unknown> = { ...record };
  delete next[CUSTOM_FIELDS];
  delete next[CUSTOM_FIELD_CLAIMS];
  if (Object.keys(values).length > 0) next[CUSTOM_FIELDS] = values;
  const fresh = uniqueClaimsOf(values, fields);
  const claims: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const source = sources.find((s) => storedClaims(s)[key] !== undefined && JSON.stringify(storedCustomValues(s)[key]) === JSON.stringify(value));
    const claim = source ? storedClaims(source)[key] : fresh[key];
    if (claim !== undefined) claims[key] = claim;
  }
  if (Object.keys(claims).length > 0) next[CUSTOM_FIELD_CLAIMS] = claims;
  return next as R;
};

/**
 * The merge rule (README, "Custom fields"): the survivor keeps every value it holds; a field it
 * holds no value of takes the value of the first duplicate, in the order given, that holds one
 * (archived fields' values too, unique ones with their claim). `added`: the fields each duplicate
 * gave, so an unmerge can give them back.
 */
export const mergedCustomValues = (
  survivor: CustomValues,
  duplicates: { id: string; values: CustomValues }[],
): { values: CustomValues; added: Record<string, string[]> } => {
  const values: CustomValues = { ...survivor };
  const added: Record<string, string[]> = {};
  for (const { id, values: theirs } of duplicates)
    for (const [key, value] of Object.entries(theirs)) {
      if (key in values || value === null || value === undefined) continue;
      values[key] = value;
      added[id] = [...(added[id] ?? []), key];
    }
  return { values, added };
};

/** The survivor's values after an unmerge: the fields the duplicate gave it go back, unless the survivor's value changed since. */
export const unmergedCustomValues = (survivor: CustomValues, given: readonly string[], duplicate: CustomValues): CustomValues => {
  const values: CustomValues = { ...survivor };
  for (const key of given) if (JSON.stringify(values[key]) === JSON.stringify(duplicate[key])) delete values[key];
  return values;
};

/** How TMF629 types a custom value among the characteristics: its valueType, and v5's `@type`. */
const CHARACTERISTIC_TYPES: Record<FieldType, { valueType: string; type: string }> = {
  string: { valueType: 'string', type: 'StringCharacteristic' },
  text: { valueType: 'string', type: 'StringCharacteristic' },
  integer: { valueType: 'integer', type: 'IntegerCharacteristic' },
  decimal: { valueType: 'number', type: 'NumberCharacteristic' },
  boolean: { valueType: 'boolean', type: 'BooleanCharacteristic' },
  date: { valueType: 'date', type: 'StringCharacteristic' },
  datetime: { valueType: 'dateTime', type: 'StringCharacteristic' },
  enum: { valueType: 'string', type: 'StringCharacteristic' },
  multiEnum: { valueType: 'array', type: 'StringArrayCharacteristic' },
  email: { valueType: 'email', type: 'StringCharacteristic' },
  phone: { valueType: 'phone', type: 'StringCharacteristic' },
  url: { valueType: 'url', type: 'StringCharacteristic' },
  money: { valueType: 'money', type: 'ObjectCharacteristic' },
  customerReference: { valueType: 'customerReference', type: 'StringCharacteristic' },
};

/** Is the characteristic one of a field's (a field of the tenant, archived or not, by its name)? */
const isCustom = (item: unknown, fields: FieldsInForce): item is { name: string; value?: unknown } =>
  isJsonObject(item) && typeof item.name === 'string' && fields.has(item.name);

const composeCharacteristics = <T extends Record<string, unknown>>(attributes: T, stored: CustomValues, fields: FieldsInForce): T => {
  const { values } = shownCustomValues(stored, fields);
  const keys = Object.keys(values).sort();
  if (keys.length === 0) return attributes;
  const free = (Array.isArray(attributes.characteristic) ? attributes.characteristic : []).filter(
    (item) => !(isJsonObject(item) && typeof item.name === 'string' && item.name in values),
  );
  const custom = keys.map((key) => {
    const { valueType, type } = CHARACTERISTIC_TYPES[fields.get(key)!.type];
    return { name: key, valueType, value: values[key], '@type': type };
  });
  return { ...attributes, characteristic: [...free, ...custom] };
};

/**
 * The stored TMF attributes as TMF629 shows them: the custom values of the active fields follow
 * the free-form characteristics, each `{name, valueType, value, @type}` typed by its field. A
 * free-form characteristic stored before a field of its name existed is shown while the field
 * holds no value, and gives way to the field's value once it holds one.
 */
export const withCustomCharacteristics = <T extends Record<string, unknown>>(record: T, fields: FieldsInForce): T =>
  composeCharacteristics(record, storedCustomValues(record), fields);

/** A stored customer's TMF attributes as every generation is shown them, its custom values among the characteristics (what a TMF event tells of a change). */
export const tmfAttributesWithCustomValues = (record: Record<string, unknown>, fields: FieldsInForce): Record<string, unknown> =>
  composeCharacteristics(tmfAttributesOf(record), storedCustomValues(record), fields);

/**
 * A TMF write's stored attributes split: the characteristics naming a field of the tenant become
 * its custom values (given as they came: the caller checks them), the rest stay characteristics.
 * `valuesAsText`: the generation's values are text (v3), so a value of a field whose values are
 * not text is read from its JSON text. `kept`: free-form characteristics stored before a field of
 * their name existed: one sent back as it is stays free-form (an unrelated write is not refused
 * for it). Problems: a field named twice.
 */
export const splitCustomCharacteristics = (
  attributes: Record<string, unknown>,
  fields: FieldsInForce,
  { valuesAsText, kept = [] }: { valuesAsText: boolean; kept?: readonly unknown[] },
): { attributes: Record<string, unknown>; values: CustomValues; problems: string[] } => {
  if (!Array.isArray(attributes.characteristic)) return { attributes, values: {}, problems: [] };
  const values: CustomValues = {};
  const problems: string[] = [];
  const free: unknown[] = [];
  for (const item of attributes.characteristic) {
    if (!isCustom(item, fields) || kept.some((k) => jsonEqual(k, item))) {
      free.push(item);
      continue;
    }
    if (item.name in values) problems.push(`characteristic.${item.name} is given more than once`);
    values[item.name] = valuesAsText ? fromText(fields.get(item.name)!.type, item.value) : item.value;
  }
  const { characteristic: _all, ...rest } = attributes;
  return { attributes: free.length > 0 ? { ...rest, characteristic: free } : rest, values, problems };
};

const TEXT_TYPES: readonly FieldType[] = ['string', 'text', 'date', 'datetime', 'enum', 'email', 'phone', 'url', 'customerReference'];

/** A v3 characteristic's text as the value of a field of `type`: JSON text for a field whose values are not text (as v3 shows them). */
const fromText = (type: FieldType, value: unknown): unknown => {
  if (TEXT_TYPES.includes(type) || typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};
