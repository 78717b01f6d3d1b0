/**
 * Validates answers against the official TMF629 files of each generation (contract files:
 * test/support/contracts.ts): v4.0.0's swagger, R18.0's admin swagger (v3), v5.0.1's OpenAPI.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { load } from 'js-yaml';
import { requireContract } from './contracts.ts';

type Loaded = { ajv: Ajv; customerProperties: string[]; names: Set<string> };
const loaded = new Map<string, Loaded>();

type Definition = { properties?: object; allOf?: ({ $ref?: string } & Definition)[] };

/** A definition's properties, with those of everything it is `allOf` (v5 builds Customer from PartyRole, Entity …). */
const propertiesOf = (definitions: Record<string, Definition>, definition: Definition | undefined): string[] => [
  ...Object.keys(definition?.properties ?? {}),
  ...(definition?.allOf ?? []).flatMap((part) => propertiesOf(definitions, part.$ref ? definitions[part.$ref.split('/').pop()!] : part)),
];

const ajvFor = (id: string, schema: Record<string, unknown>, definitions: Record<string, Definition>): Loaded => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
  ajv.addFormat('base64', /^[A-Za-z0-9+/]*={0,2}$/);
  ajv.addSchema({ $id: id, ...schema });
  return { ajv, customerProperties: [...new Set(propertiesOf(definitions, definitions.Customer))], names: new Set(Object.keys(definitions)) };
};

/**
 * v5 picks among `oneOf` alternatives by `@type` (a discriminator with a mapping, which Ajv does
 * not follow): without it, a PartyRef matches several of the lenient alternatives and fails
 * `oneOf`. Such a `oneOf` becomes `anyOf` here, and `discriminated` below checks the object
 * against the schema its `@type` names, which is what the discriminator means.
 */
const withoutDiscriminatedOneOf = <T>(value: T): T => {
  if (Array.isArray(value)) return value.map(withoutDiscriminatedOneOf) as T;
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).map(([key, child]) => [key === 'oneOf' && 'discriminator' in value ? 'anyOf' : key, withoutDiscriminatedOneOf(child)]);
  return Object.fromEntries(entries) as T;
};

/** A generation's file, read the first time a test asks (a test without the file is skipped there). */
const contract = (generation: 'v3' | 'v4' | 'v5'): Loaded => {
  let found = loaded.get(generation);
  if (found) return found;
  if (generation === 'v5') {
    const file = requireContract('specs', 'tmf629', 'TMF629-CustomerManagement-v5.0.1.oas.yaml');
    const components = withoutDiscriminatedOneOf(load(readFileSync(file, 'utf8')) as { components: { schemas: Record<string, Definition> } }).components;
    found = ajvFor('tmf629v5', { components }, components.schemas);
  } else {
    const name = generation === 'v4' ? 'TMF629-CustomerManagement-v4.0.0.swagger.json' : 'TMF629-CustomerManagement-R18.0-v3path.admin.swagger.json';
    const definitions = (JSON.parse(readFileSync(requireContract('specs', 'tmf629', name), 'utf8')) as { definitions: Record<string, Definition> }).definitions;
    found = ajvFor(`tmf629${generation}`, { definitions }, definitions);
  }
  loaded.set(generation, found);
  return found;
};

const validator = (generation: 'v3' | 'v4' | 'v5', name: string): ValidateFunction => {
  const path = generation === 'v5' ? `tmf629v5#/components/schemas/${name}` : `tmf629${generation}#/definitions/${name}`;
  const validate = contract(generation).ajv.getSchema(path);
  if (!validate) throw new Error(`no definition ${name} in ${generation}`);
  return validate;
};

const errorsOf = (validate: ValidateFunction, value: unknown, at = ''): string[] =>
  validate(value) ? [] : (validate.errors ?? []).map((e) => `${at}${e.instancePath || '/'} ${e.message}`);

/**
 * v5's sub-resources are polymorphic by `@type` (a discriminator, which JSON Schema validators do
 * not follow): every nested object whose `@type` names a schema of the file is checked against it too.
 */
const discriminated = (value: unknown, path: string, top: boolean): string[] => {
  if (Array.isArray(value)) return value.flatMap((item, i) => discriminated(item, `${path}/${i}`, false));
  if (typeof value !== 'object' || value === null) return [];
  const type = (value as Record<string, unknown>)['@type'];
  const own = !top && typeof type === 'string' && contract('v5').names.has(type) ? errorsOf(validator('v5', type), value, path) : [];
  return [...own, ...Object.entries(value).flatMap(([key, child]) => discriminated(child, `${path}/${key}`, false))];
};

/** The errors of `value` against definition `name` of a generation's file, as readable strings (empty when valid). */
export const tmfSchemaErrorsOf = (generation: 'v3' | 'v4' | 'v5', name: string, value: unknown): string[] => [
  ...errorsOf(validator(generation, name), value),
  ...(generation === 'v5' ? discriminated(value, '', true) : []),
];

/** The errors of `value` against v4.0.0's definition `name`. */
export const tmfSchemaErrors = (name: string, value: unknown): string[] => tmfSchemaErrorsOf('v4', name, value);

/** The Customer definition has no additionalProperties:false; Rapport's answers must not carry unknown attributes either. */
export const tmfCustomerProperties = (generation: 'v3' | 'v4' | 'v5' = 'v4'): string[] => contract(generation).customerProperties;
