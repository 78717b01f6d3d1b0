/** Validates responses against the official TMF629 v4.0.0 swagger definitions (../shared/specs). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TMF_SWAGGER_FILE = join(root, '..', 'shared', 'specs', 'tmf629', 'TMF629-CustomerManagement-v4.0.0.swagger.json');
const swagger = JSON.parse(readFileSync(TMF_SWAGGER_FILE, 'utf8')) as { definitions: Record<string, unknown> };

const ajv = new Ajv({ strict: false, allErrors: true });
(addFormatsModule as unknown as (a: Ajv) => void)(ajv);
ajv.addSchema({ $id: 'tmf629', definitions: swagger.definitions });

/** The errors of `value` against definition `name`, as readable strings (empty when valid). */
export const tmfSchemaErrors = (name: string, value: unknown): string[] => {
  const validate = ajv.getSchema(`tmf629#/definitions/${name}`);
  if (!validate) throw new Error(`no definition ${name}`);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
};

/** The Customer definition has no additionalProperties:false; Rapport's answers must not carry unknown attributes either. */
export const TMF_CUSTOMER_PROPERTIES = Object.keys((swagger.definitions.Customer as { properties: object }).properties);
