/** The docs function's bundling hook (lib/rapport-stack.ts): writes the OpenAPI document and Swagger UI's files into its package. */
import { writeDocsFiles } from '../lib/docs-files.ts';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: tsx bin/docs-files.ts <folder>\n');
  process.exit(2);
}
writeDocsFiles(dir);
