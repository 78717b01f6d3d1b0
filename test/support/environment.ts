/** Points in-process handlers at the run's DynamoDB Local, the way the local runtime configures its functions. */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { IN_PROCESS_BUCKET, IN_PROCESS_TABLE } from './global-setup.ts';
import { LOCAL_SECRETS_KEY_ID } from '../../lib/local/local-kms.ts';

Object.assign(process.env, {
  TABLE_NAME: IN_PROCESS_TABLE,
  EVENT_BUS_NAME: 'rapport',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoDbEndpoint'),
  POWERTOOLS_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  PUBLISH_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/publish-dlq',
  NOTIFY_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/notify-dlq',
  CURSOR_SECRET: randomBytes(32).toString('base64url'),
  // A queue the local runtime keeps (no consumer): in-process redeliveries land there.
  AWS_ENDPOINT_URL_SQS: inject('baseUrl'),
  WEBHOOK_QUEUE_URL: `${inject('baseUrl')}/000000000000/rapport-test-deliveries`,
  // The local runtime's KMS seals and opens secrets (its key lives as long as the run).
  AWS_ENDPOINT_URL_KMS: inject('baseUrl'),
  SECRETS_KEY_ID: LOCAL_SECRETS_KEY_ID,
  // The runtime's S3-compatible server, with a bucket of the in-process handlers' own.
  AWS_ENDPOINT_URL_S3: inject('s3Endpoint'),
  S3_FORCE_PATH_STYLE: 'true',
  FILES_BUCKET: IN_PROCESS_BUCKET,
});
