/**
 * `npm run backfill -- --table <name> [--secrets-key <arn>] [--tenant <id>] [--segments <n>]`: moves
 * a table's items to the current layout — index keys, counters, match keys, plan pointers, sealed
 * secrets (functions/storage/backfill.ts; README, "Moving a deployed table to the current index
 * layout"). `--secrets-key` is the stack's `SecretsKeyArn` output: plain-text signing secrets are
 * sealed under it (without it they are counted and left). Uses the standard AWS environment
 * (credentials, AWS_REGION; AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_KMS for the local
 * runtime). Idempotent: run it again to check.
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backfill } from '../functions/storage/backfill.ts';

const usage = 'usage: npm run backfill -- --table <name> [--secrets-key <arn>] [--tenant <id>] [--segments <n>]\n';
const { values } = parseArgs({
  options: { table: { type: 'string' }, 'secrets-key': { type: 'string' }, tenant: { type: 'string' }, segments: { type: 'string', default: '4' } },
});
if (!values.table) {
  process.stderr.write(usage);
  process.exit(2);
}
const segments = Number(values.segments);
if (!Number.isInteger(segments) || segments < 1 || segments > 1000) {
  process.stderr.write('--segments must be a whole number from 1 to 1000\n');
  process.exit(2);
}
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
const started = Date.now();
const report = await backfill(db, values.table, { tenantId: values.tenant, segments, secretsKeyId: values['secrets-key'] });
process.stdout.write(`${JSON.stringify({ ...report, seconds: (Date.now() - started) / 1000 })}\n`);
if (report.secretsLeftPlain > 0)
  process.stderr.write(`${report.secretsLeftPlain} items still hold plain-text secrets: run it again with --secrets-key <SecretsKeyArn output>\n`);
