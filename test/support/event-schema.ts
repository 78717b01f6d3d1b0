/** Validates an event's detail against its checked-in JSON Schema (schemas/events/<source>/<detail-type>.json). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const root = join(import.meta.dirname, '..', '..');
const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);

export const eventSchemaErrors = (source: string, detailType: string, detail: unknown): string[] => {
  const id = `https://rapport.dev/schemas/events/${source}/${detailType}.json`;
  const validate = ajv.getSchema(id) ?? ajv.compile(JSON.parse(readFileSync(join(root, 'schemas', 'events', source, `${detailType}.json`), 'utf8')));
  return validate(detail) ? [] : (validate.errors ?? []).map((e) => `${detailType}${e.instancePath} ${e.message}`);
};
