/** Validates responses against the official TMF629 v4.0.0 swagger definitions (a contract file: test/support/contracts.ts). */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { requireContract } from './contracts.ts';

let loaded: { ajv: Ajv; customerProperties: string[] } | undefined;

/** The swagger, read the first time a test asks (a test without the file is skipped there). */
const swagger = () => {
  if (!loaded) {
    const file = requireContract('specs', 'tmf629', 'TMF629-CustomerManagement-v4.0.0.swagger.json');
    const definitions = (JSON.parse(readFileSync(file, 'utf8')) as { definitions: Record<string, unknown> }).definitions;
    const ajv = new Ajv({ strict: false, allErrors: true });
    (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
    ajv.addSchema({ $id: 'tmf629', definitions });
    loaded = { ajv, customerProperties: Object.keys((definitions.Customer as { properties: object }).properties) };
  }
  return loaded;
};

/** The errors of `value` against definition `name`, as readable strings (empty when valid). */
export const tmfSchemaErrors = (name: string, value: unknown): string[] => {
  const validate = swagger().ajv.getSchema(`tmf629#/definitions/${name}`);
  if (!validate) throw new Error(`no definition ${name}`);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
};

/** The Customer definition has no additionalProperties:false; Rapport's answers must not carry unknown attributes either. */
export const tmfCustomerProperties = (): string[] => swagger().customerProperties;
