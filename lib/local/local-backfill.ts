import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BACKFILL_VERSION, backfill, type BackfillReport } from '../../functions/storage/backfill.ts';
import { LOCAL_SECRETS_KEY_ID } from './local-kms.ts';

/**
 * Runs the backfill over a table the local runtime keeps (`.rapport/`) once per BACKFILL_VERSION,
 * as an operator runs `npm run backfill` after a deployment: a table written by an older version
 * gains what the current code writes (match keys, plan pointers, secrets sealed under the local KMS
 * key). The local KMS endpoint must answer by then. Undefined when the table was backfilled already.
 */
export const backfillOnce = async (client: DynamoDBClient, table: string, stateDir: string): Promise<BackfillReport | undefined> => {
  const marker = join(stateDir, 'backfill-version');
  if (existsSync(marker) && Number(readFileSync(marker, 'utf8')) >= BACKFILL_VERSION) return undefined;
  const report = await backfill(DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), table, {
    secretsKeyId: LOCAL_SECRETS_KEY_ID,
  });
  writeFileSync(marker, String(BACKFILL_VERSION));
  return report;
};
