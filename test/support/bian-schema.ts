/** Validates responses against the official BIAN v12 component schemas (contract files: test/support/contracts.ts). */
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { Ajv } from 'ajv';
import { requireContract } from './contracts.ts';

let ajv: Ajv | undefined;

/** The specs, read the first time a test asks (a test without the files is skipped there). */
const validator = (): Ajv => {
  if (!ajv) {
    const built = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    for (const [id, file] of [
      ['bian-crm', 'CustomerRelationshipManagement-v12.0.0.yaml'],
      ['bian-casemgmt', 'CustomerCaseManagement-v12.0.0.yaml'],
    ] as const) {
      const spec = load(readFileSync(requireContract('specs', 'bian', file), 'utf8')) as { components: { schemas: Record<string, unknown> } };
      built.addSchema({ $id: id, components: { schemas: spec.components.schemas } });
    }
    ajv = built;
  }
  return ajv;
};

export const bianSchemaErrors = (spec: 'bian-crm' | 'bian-casemgmt', name: string, value: unknown): string[] => {
  const validate = validator().getSchema(`${spec}#/components/schemas/${name}`);
  if (!validate) throw new Error(`no schema ${name}`);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
};
