/** `npm run client-types`: writes the client's types (clients/typescript/src/schema.ts) from the OpenAPI document. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_TYPES_PATH, clientTypes } from '../lib/client-types.ts';

writeFileSync(join(import.meta.dirname, '..', CLIENT_TYPES_PATH), await clientTypes());
process.stdout.write(`${CLIENT_TYPES_PATH}\n`);
