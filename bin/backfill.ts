/**
 * `npm run backfill -- --table <name> [--tenant <id>] [--segments <n>]`: moves a table's items to the
 * current index layout and fills the counters (functions/storage/backfill.ts; README, "Moving a
 * deployed table to the current index layout"). Uses the standard AWS environment (credentials,
 * AWS_REGION; AWS_ENDPOINT_URL_DYNAMODB for DynamoDB Local). Idempotent: run it again to check.
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backfill } from '../functions/storage/backfill.ts';

const { values } = parseArgs({ options: { table: { type: 'string' }, tenant: { type: 'string' }, segments: { type: 'string', default: '4' } } });
if (!values.table) {
  process.stderr.write('usage: npm run backfill -- --table <name> [--tenant <id>] [--segments <n>]\n');
  process.exit(2);
}
const segments = Number(values.segments);
if (!Number.isInteger(segments) || segments < 1 || segments > 1000) {
  process.stderr.write('--segments must be a whole number from 1 to 1000\n');
  process.exit(2);
}
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
const started = Date.now();
const report = await backfill(db, values.table, { tenantId: values.tenant, segments });
process.stdout.write(`${JSON.stringify({ ...report, seconds: (Date.now() - started) / 1000 })}\n`);
