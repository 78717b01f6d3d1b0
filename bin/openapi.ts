/** `npm run openapi`: prints the OpenAPI 3.1 document generated from the catalog. */
import { buildOpenApi } from '../lib/openapi.ts';

process.stdout.write(`${JSON.stringify(buildOpenApi(process.argv[2]), null, 2)}\n`);
