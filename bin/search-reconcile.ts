/**
 * `npm run search-reconcile -- --tenant <id> [--step <n>]`: brings a tenant's search projection to
 * the table (functions/search/reconcile.ts) — a rebuild from nothing is the same walk — in bounded
 * steps of `--step` customers (default 200), printing each step, resumable with `--from <position
 * JSON>` set to the `next` of the last step it printed (the last line is the total). Reads the standard AWS environment and the stack's outputs
 * as TABLE_NAME, SEARCH_CLUSTER_ARN and SEARCH_SECRET_ARN. Locally: POST /_local/search/reconcile?tenant=<id>
 * (the local runtime holds its PGlite; two processes must not open one).
 */
import { parseArgs } from 'node:util';
import { reconcileTenant, type ReconcilePosition } from '../functions/search/reconcile.ts';

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
const total = await reconcileTenant(values.tenant, {
  limit: step,
  ...(values.from ? { from: JSON.parse(values.from) as ReconcilePosition } : {}),
  // Each step as it ends, with where the next starts: the `--from` of a resumed run.
  onStep: (done) => process.stdout.write(`${JSON.stringify(done)}\n`),
});
process.stdout.write(`${JSON.stringify({ total })}\n`);
