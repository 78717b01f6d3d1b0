/**
 * `npm run search-reconcile -- --tenant <id> [--step <n>]`: brings a tenant's search projection to
 * the table (functions/search/reconcile.ts) — a rebuild from nothing is the same walk — in bounded
 * steps of `--step` customers (default 200), printing each step, resumable with `--from <position
 * JSON>` from the last line it printed. Reads the standard AWS environment and the stack's outputs
 * as TABLE_NAME, SEARCH_CLUSTER_ARN and SEARCH_SECRET_ARN. Locally: POST /_local/search/reconcile?tenant=<id>
 * (the local runtime holds its PGlite; two processes must not open one).
 */
import { parseArgs } from 'node:util';
import { reconcileStep, type ReconcilePosition } from '../functions/search/reconcile.ts';

const usage = 'usage: npm run search-reconcile -- --tenant <id> [--step <n>] [--from <position JSON>]\n';
const { values } = parseArgs({ options: { tenant: { type: 'string' }, step: { type: 'string', default: '200' }, from: { type: 'string' } } });
const step = Number(values.step);
if (!values.tenant || !Number.isInteger(step) || step < 1 || step > 1000) {
  process.stderr.write(usage);
  process.exit(2);
}
for (const name of ['TABLE_NAME', 'SEARCH_CLUSTER_ARN', 'SEARCH_SECRET_ARN']) {
  if (!process.env[name]) {
    process.stderr.write(`${name} is not set: export the stack's outputs (TableName, SearchClusterArn, SearchSecretArn)\n`);
    process.exit(2);
  }
}
let position: ReconcilePosition | undefined = values.from ? (JSON.parse(values.from) as ReconcilePosition) : { phase: 'table' };
const total = { checked: 0, repaired: 0, retired: 0 };
while (position) {
  const done = await reconcileStep(values.tenant, position, step);
  total.checked += done.checked;
  total.repaired += done.repaired;
  total.retired += done.retired;
  process.stdout.write(`${JSON.stringify({ ...done, total })}\n`);
  position = done.next;
}
