/** `npm run bian-schemas`: regenerates the zod schemas of the BIAN families from the official v12 files in ../shared/specs/bian. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIAN_SPECS } from '../lib/bian-specs.ts';
import { generateBianSchemas } from '../lib/bian-schemas.ts';

const root = join(import.meta.dirname, '..');
for (const spec of BIAN_SPECS) {
  writeFileSync(join(root, spec.output), generateBianSchemas(spec.file, spec.label));
  process.stdout.write(`${spec.output}\n`);
}
