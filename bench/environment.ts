import { randomBytes } from 'node:crypto';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../lib/local/dynamodb-local.ts';

/**
 * Points in-process handlers at a DynamoDB Local, quietly: logs at SILENT and no metric lines on
 * stdout. Call it before the handlers are imported: their client reads the endpoint when created.
 */
export const pointHandlersAt = (endpoint: string, tableName: string): void => {
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    TABLE_NAME: tableName,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    CURSOR_SECRET: randomBytes(32).toString('base64url'),
  });
};
