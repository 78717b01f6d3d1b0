/**
 * Starts the local runtime once per test run (`bin/local.ts --in-memory` as a child process, with
 * DynamoDB Local inside it) and hands its URLs to the tests. Unit tests ignore it; integration
 * tests use a table of their own in its DynamoDB Local; end-to-end tests talk HTTP to it.
 */
import type { TestProject } from 'vitest/node';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../lib/local/dynamodb-local.ts';
import { startRuntimeProcess, type RuntimeProcess } from './runtime-process.ts';

/**
 * The table in-process handlers use (test/support/environment.ts), beside the runtime's own: the
 * runtime's due sweep (run by end-to-end tests at "now") never reaches what integration tests
 * arrange, and their sweeps never reach the runtime's data.
 */
export const IN_PROCESS_TABLE = 'rapport-in-process';
export const IN_PROCESS_BUCKET = 'rapport-in-process';

let runtime: RuntimeProcess | undefined;

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    dynamoDbEndpoint: string;
    s3Endpoint: string;
  }
}

export async function setup(project: TestProject): Promise<void> {
  runtime = await startRuntimeProcess(['--in-memory'], { RAPPORT_SCHEDULE_TIMERS: 'off', WEBHOOK_TIME_SCALE: '0.001' });
  project.provide('baseUrl', runtime.baseUrl);
  project.provide('dynamoDbEndpoint', runtime.dynamoDbEndpoint);
  project.provide('s3Endpoint', runtime.s3Endpoint);
  // The in-process handlers' own bucket beside the runtime's, as their own table.
  await new S3Client({ endpoint: runtime.s3Endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true }).send(
    new CreateBucketCommand({ Bucket: IN_PROCESS_BUCKET }),
  );
  await ensureTable(new DynamoDBClient({ endpoint: runtime.dynamoDbEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }), IN_PROCESS_TABLE);
}

export async function teardown(): Promise<void> {
  await runtime?.stop();
}
