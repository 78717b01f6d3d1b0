/** `npm run event-schemas`: writes the JSON Schemas of all event types to schemas/events/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { eventSchemaFiles } from '../lib/event-schemas.ts';

const root = join(import.meta.dirname, '..');
for (const file of eventSchemaFiles()) {
  mkdirSync(dirname(join(root, file.path)), { recursive: true });
  writeFileSync(join(root, file.path), file.content);
  process.stdout.write(`${file.path}\n`);
}
