/** Validates responses against the official BIAN v12 component schemas (../shared/specs/bian). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { Ajv } from 'ajv';

const specs = join(import.meta.dirname, '..', '..', '..', 'shared', 'specs', 'bian');
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
for (const [id, file] of [
  ['bian-crm', 'CustomerRelationshipManagement-v12.0.0.yaml'],
  ['bian-casemgmt', 'CustomerCaseManagement-v12.0.0.yaml'],
]) {
  const spec = load(readFileSync(join(specs, file!), 'utf8')) as { components: { schemas: Record<string, unknown> } };
  ajv.addSchema({ $id: id, components: { schemas: spec.components.schemas } });
}

export const bianSchemaErrors = (spec: 'bian-crm' | 'bian-casemgmt', name: string, value: unknown): string[] => {
  const validate = ajv.getSchema(`${spec}#/components/schemas/${name}`);
  if (!validate) throw new Error(`no schema ${name}`);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
};
