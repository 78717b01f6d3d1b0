import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIAN_SPECS } from '../../lib/bian-specs.ts';
import { bianFieldsOf, generateBianSchemas } from '../../lib/bian-schemas.ts';
import { KINDS } from '../../functions/bian-crm/records.ts';
import { requireContract } from '../support/contracts.ts';

const root = join(import.meta.dirname, '..', '..');

describe('BIAN schemas generated from the official v12 files', () => {
  it.each(BIAN_SPECS.map((s) => [s.output, s]))('%s matches its spec (run `npm run bian-schemas` after a spec change)', (_output, spec) => {
    requireContract('specs', 'bian', basename(spec.file));
    expect(readFileSync(join(root, spec.output), 'utf8')).toBe(generateBianSchemas(spec.file, spec.label));
  });

  it('mirrors each BIAN CRM record field by field', () => {
    const spec = requireContract('specs', 'bian', basename(BIAN_SPECS[0]!.file));
    for (const [kind, { fields }] of Object.entries(KINDS)) expect(Object.keys(fields)).toEqual(bianFieldsOf(spec, kind));
  });
});
