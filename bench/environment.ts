import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../lib/local/dynamodb-local.ts';
import { LOCAL_ACCOUNT, LocalAws } from '../lib/local/aws-endpoints.ts';
import { LOCAL_SECRETS_KEY_ID } from '../lib/local/local-kms.ts';

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
    // DynamoDB Local updates its indexes with the write: the feed need not wait for them.
    FEED_SETTLE_SECONDS: '0',
  });
};

/**
 * An SQS and KMS endpoint on loopback for the handlers that queue messages (a redelivery) and seal
 * secrets: messages are kept, not consumed. Call it before the handlers are imported. Resolves to a function that stops it.
 */
export const startLocalSqs = async (): Promise<() => Promise<void>> => {
  const aws = new LocalAws(LOCAL_REGION, () => undefined);
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const answer = aws.handle(String(request.headers['x-amz-target']), body ? JSON.parse(body) : {});
      response.writeHead(answer?.status ?? 400, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(answer?.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SQS: url,
    WEBHOOK_QUEUE_URL: `${url}/${LOCAL_ACCOUNT}/bench-webhook-deliveries`,
    // Secrets are sealed under its local KMS key.
    AWS_ENDPOINT_URL_KMS: url,
    SECRETS_KEY_ID: LOCAL_SECRETS_KEY_ID,
  });
  return () => new Promise((resolve) => server.close(() => resolve()));
};
