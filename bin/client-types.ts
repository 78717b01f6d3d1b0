/** `npm run client-types`: writes the client's types (clients/typescript/src/schema.ts) from the OpenAPI document, and its event types (events.ts) from the event schemas. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_EVENTS_PATH, CLIENT_TYPES_PATH, clientEvents, clientTypes } from '../lib/client-types.ts';

writeFileSync(join(import.meta.dirname, '..', CLIENT_TYPES_PATH), await clientTypes());
writeFileSync(join(import.meta.dirname, '..', CLIENT_EVENTS_PATH), await clientEvents());
process.stdout.write(`${CLIENT_TYPES_PATH}\n${CLIENT_EVENTS_PATH}\n`);
