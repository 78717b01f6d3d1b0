import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent, SQSBatchResponse } from 'aws-lambda';
import { eventRules, importRelay, schedules, streamPublisher, webhookDispatcher, webhookWorker, type Schedule } from '../../functions/catalog.ts';
import { writeDocsFiles } from '../docs-files.ts';
import { LOCAL_ACCOUNT, LocalAws, matchesPattern, type BusEvent } from './aws-endpoints.ts';
import { loadDevKey } from './dev-tokens.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, ensureTable, startDynamoDbLocal, upgradeTable } from './dynamodb-local.ts';
import { invoke } from './functions.ts';
import { cursorSecret, localKmsKey, STATE_DIR } from './state-dir.ts';
import { LOCAL_SECRETS_KEY_ID } from './local-kms.ts';
import { backfillOnce } from './local-backfill.ts';
import { handleApiRequest } from './gateway.ts';
import { StreamPoller } from './stream-poller.ts';
import { awsClient } from '../../functions/aws-clients.ts';
import { LocalQueue } from './local-queue.ts';
import { printError } from './output.ts';
import { useLocalSearchEngine } from './search-engine.ts';
import { FILES_BUCKET, startLocalS3 } from './s3-local.ts';
import { useLocalImports } from './imports-local.ts';
import { reconcileTenant } from '../../functions/search/reconcile.ts';

export const TABLE_NAME = 'rapport';
export const EVENT_BUS_NAME = 'rapport';

/** Runs a scheduled function now, with the input EventBridge Scheduler passes: the run's scheduled time. */
const runSchedule = (schedule: Schedule) => invoke(schedule.name, schedule.handler, { scheduledTime: new Date().toISOString() });

export interface RuntimeOptions {
  port: number;
  inMemory: boolean;
  /** Locally every schedule runs once a minute (not at its deployed rate), so due items show up fast; tests switch the timers off and call `POST /_local/schedules/<name>`. */
  schedulesEnabled?: boolean;
  /**
   * Compresses the webhook retry schedule and the day of failures that disables a webhook
   * (WEBHOOK_TIME_SCALE; 1 = as deployed, 0.001 makes 10 hours 36 seconds). SQS delays are whole
   * seconds, so no retry comes sooner than a second.
   */
  webhookTimeScale?: number;
}

export const WEBHOOK_QUEUE = 'rapport-webhook-deliveries';
export const WEBHOOK_DLQ = 'rapport-webhook-dlq';
export const IMPORT_EVENT_QUEUE = 'rapport-import-events';
export const IMPORT_RELAY_DLQ = 'rapport-import-relay-dlq';

export interface Runtime {
  baseUrl: string;
  dynamoDbEndpoint: string;
  /** Stops everything, in order: the timers, the stream consumers, the server, the queue, DynamoDB Local. Once; later calls get the same promise. */
  stop(): Promise<void>;
  /** Kills DynamoDB Local at once, for when `stop()` does not finish. */
  kill(): void;
}

const readBody = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });

const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  const text = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(text);
};

/**
 * The whole system on one machine: DynamoDB Local with the shared table, the catalog's HTTP API
 * behind a local JWT-verifying gateway, the stream's two consumers (the real publisher and webhook
 * dispatcher), a local PutEvents/SQS endpoint with the stack's event rules, the webhook delivery
 * queue with its worker, and the schedules on timers.
 */
export const startRuntime = async (options: RuntimeOptions): Promise<Runtime> => {
  mkdirSync(STATE_DIR, { recursive: true });
  const key = loadDevKey(STATE_DIR);
  const dynamo = await startDynamoDbLocal({ dataDir: options.inMemory ? undefined : join(STATE_DIR, 'dynamodb') });
  const cleanups: (() => Promise<void> | void)[] = [() => dynamo.stop()];
  try {
    const streamArn = await ensureTable(dynamo.client, TABLE_NAME);
    // A .rapport/ table made by an older version moves to the current index layout, as a deployment would.
    const upgraded = await upgradeTable(dynamo.client, TABLE_NAME);
    if (upgraded.created.length > 0 || upgraded.deleted.length > 0)
      printError(`rapport: moved the local table to the current index layout ${JSON.stringify(upgraded)}`);

    const pendingTargets = new Set<Promise<unknown>>();
    const deliverToRules = (event: BusEvent) => {
      for (const rule of eventRules) {
        if (!matchesPattern(event, rule.pattern)) continue;
        const run = (async () => {
          for (let attempt = 1; attempt <= 3; attempt++) {
            try {
              return await invoke(rule.name, rule.handler, event);
            } catch (error) {
              printError(`rule ${rule.name} target failed (attempt ${attempt}): ${(error as Error).message}`);
              await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
            }
          }
        })();
        pendingTargets.add(run);
        void run.finally(() => pendingTargets.delete(run));
      }
    };
    const aws = new LocalAws(LOCAL_REGION, deliverToRules, localKmsKey(options.inMemory));
    // The webhook delivery queue and its worker, with the stack's redrive policy (5 receives, then the dead-letter queue).
    const deliveries = new LocalQueue(
      `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${WEBHOOK_QUEUE}`,
      (event) => invoke(webhookWorker.name, webhookWorker.handler, event) as Promise<SQSBatchResponse>,
      { maxReceiveCount: 5, visibilityTimeoutMs: 1000, deadLetter: (message) => aws.deadLetter(WEBHOOK_DLQ, message) },
    );
    aws.consumedQueues.set(WEBHOOK_QUEUE, deliveries);
    cleanups.unshift(() => deliveries.stop());
    // An import's rows' events and the import relay, paced as its event source is in AWS: batches of 10, 2 at once.
    const importEvents = new LocalQueue(
      `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${IMPORT_EVENT_QUEUE}`,
      (event) => invoke(importRelay.name, importRelay.handler, event) as Promise<SQSBatchResponse>,
      { maxReceiveCount: 5, visibilityTimeoutMs: 1000, deadLetter: (message) => aws.deadLetter(IMPORT_RELAY_DLQ, message), batchSize: 10, concurrency: 2 },
    );
    aws.consumedQueues.set(IMPORT_EVENT_QUEUE, importEvents);
    cleanups.unshift(() => importEvents.stop());

    const server = createServer();
    await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const baseUrl = `http://127.0.0.1:${port}`;
    cleanups.unshift(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );

    // The files bucket (imports, exports) on an S3-compatible server of its own; import jobs run in this process.
    const files = await startLocalS3(options.inMemory ? undefined : join(STATE_DIR, 's3'));
    cleanups.unshift(() => files.stop());
    const importRuns = useLocalImports();
    cleanups.unshift(() => importRuns.settled());

    // The handlers' environment, as the stack sets it for the functions; endpoints through AWS_ENDPOINT_URL_*.
    const docsDir = join(STATE_DIR, 'docs');
    writeDocsFiles(docsDir);
    Object.assign(process.env, {
      TABLE_NAME,
      EVENT_BUS_NAME,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: baseUrl,
      AWS_ENDPOINT_URL_SQS: baseUrl,
      AWS_ENDPOINT_URL_KMS: baseUrl,
      AWS_ENDPOINT_URL_S3: files.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      FILES_BUCKET,
      SECRETS_KEY_ID: LOCAL_SECRETS_KEY_ID,
      PUBLISH_DLQ_URL: `${baseUrl}/${LOCAL_ACCOUNT}/rapport-publish-dlq`,
      NOTIFY_DLQ_URL: `${baseUrl}/${LOCAL_ACCOUNT}/rapport-notify-dlq`,
      WEBHOOK_QUEUE_URL: `${baseUrl}/${LOCAL_ACCOUNT}/${WEBHOOK_QUEUE}`,
      IMPORT_EVENTS_QUEUE_URL: `${baseUrl}/${LOCAL_ACCOUNT}/${IMPORT_EVENT_QUEUE}`,
      WEBHOOK_TIME_SCALE: String(options.webhookTimeScale ?? 1),
      // Every webhook change reaches the next delivery (deployed: 15 s per function instance; the bench sets that).
      WEBHOOK_CACHE_SECONDS: process.env.WEBHOOK_CACHE_SECONDS ?? '0',
      // Likewise every registration change reaches the next notification (deployed: 15 s per function instance).
      HUB_CACHE_SECONDS: process.env.HUB_CACHE_SECONDS ?? '0',
      // And every custom field definition change the next write (deployed: 5 s per function instance).
      FIELDS_CACHE_SECONDS: process.env.FIELDS_CACHE_SECONDS ?? '0',
      // DynamoDB Local updates its indexes with the write: the feed need not wait long.
      FEED_SETTLE_SECONDS: process.env.FEED_SETTLE_SECONDS ?? '1',
      ALLOW_LOOPBACK_CALLBACKS: 'true',
      // What the stack's bundling puts beside the docs function (the OpenAPI document, Swagger UI's files), written at each start.
      DOCS_DIR: docsDir,
      CURSOR_SECRET: cursorSecret(options.inMemory),
      POWERTOOLS_LOG_LEVEL: process.env.LOG_LEVEL ?? 'WARN',
      POWERTOOLS_DEV: 'true',
      // Tracing is off outside Lambda (Powertools Tracer), but the X-Ray SDK, once a background
      // function loads it, would still install its context-tracking async hook in this one process,
      // taxing every request's promises (deployed, API functions never load it): manual mode installs none.
      AWS_XRAY_MANUAL_MODE: 'true',
    });

    // The search projection's database (PGlite), opened before the runtime answers.
    const searchEngine = useLocalSearchEngine(options.inMemory ? undefined : join(STATE_DIR, 'search'));
    await searchEngine.open();
    cleanups.unshift(async () => {
      await Promise.allSettled([...pendingTargets]);
      await searchEngine.stop();
    });

    // The stream's two consumers, each with its own position, as Lambda's two event source mappings: the publisher and the webhook dispatcher.
    const streams = awsClient(new DynamoDBStreamsClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
    const pollers = [
      { consumer: streamPublisher, checkpoint: 'stream-checkpoint.json' },
      { consumer: webhookDispatcher, checkpoint: 'webhook-stream-checkpoint.json' },
    ].map(({ consumer, checkpoint }) => {
      const poller = new StreamPoller(
        streams,
        streamArn,
        (event: DynamoDBStreamEvent) => invoke(consumer.name, consumer.handler, event) as Promise<DynamoDBBatchResponse>,
        options.inMemory ? undefined : join(STATE_DIR, checkpoint),
      );
      poller.start();
      cleanups.unshift(() => poller.stop());
      return poller;
    });
    const drainStreams = () => Promise.all(pollers.map((p) => p.drain()));

    const timers =
      (options.schedulesEnabled ?? true)
        ? schedules.map((schedule) =>
            setInterval(() => void runSchedule(schedule).catch((error: Error) => printError(`schedule ${schedule.name}: ${error.message}`)), 60_000),
          )
        : [];
    cleanups.unshift(() => timers.forEach(clearInterval));

    server.on('request', (request, response) => {
      void (async () => {
        try {
          const url = new URL(request.url ?? '/', 'http://localhost');
          const body = await readBody(request);
          const target = request.headers['x-amz-target'];
          if (request.method === 'POST' && typeof target === 'string') {
            const answer = aws.handle(target, body.length ? JSON.parse(body.toString('utf8')) : {});
            return answer
              ? send(response, answer.status, answer.body, { 'content-type': 'application/x-amz-json-1.1' })
              : send(response, 400, { __type: 'UnknownOperationException', message: `${target} is not served locally` });
          }
          if (request.method === 'GET' && url.pathname === '/_local/health')
            return send(response, 200, { status: 'ok', dynamoDbEndpoint: dynamo.endpoint, s3Endpoint: files.endpoint, table: TABLE_NAME, pid: process.pid });
          if (request.method === 'GET' && url.pathname === '/_local/events') {
            await drainStreams();
            return send(response, 200, aws.events);
          }
          if (request.method === 'GET' && url.pathname === '/_local/dead-letters') return send(response, 200, Object.fromEntries(aws.queues));
          if (request.method === 'POST' && url.pathname === '/_local/idle') {
            await drainStreams();
            await importEvents.idle();
            await Promise.allSettled([...pendingTargets]);
            await deliveries.idle();
            return send(response, 200, { idle: true });
          }
          // The search projection of a tenant brought to the table (functions/search/reconcile.ts): what `npm run search-reconcile` does in AWS.
          if (request.method === 'POST' && url.pathname === '/_local/search/reconcile') {
            const tenant = url.searchParams.get('tenant');
            if (!tenant) return send(response, 400, { message: 'tenant is required: POST /_local/search/reconcile?tenant=<id>' });
            return send(response, 200, await reconcileTenant(tenant));
          }
          const scheduleName = /^\/_local\/schedules\/([^/]+)$/.exec(url.pathname)?.[1];
          if (request.method === 'POST' && scheduleName) {
            const schedule = schedules.find((s) => s.name === scheduleName);
            if (!schedule)
              return send(response, 404, { message: `No schedule '${scheduleName}' (known: ${schedules.map((s) => s.name).join(', ') || 'none'})` });
            const result = await runSchedule(schedule);
            return send(response, 200, result ?? {});
          }
          const answer = await handleApiRequest(request, body, key);
          send(response, answer.status, answer.body, answer.headers);
        } catch (error) {
          if (error instanceof URIError || error instanceof SyntaxError) return send(response, 400, { message: 'Bad Request' });
          printError(`local runtime: ${(error as Error).stack}`);
          send(response, 500, { message: 'Internal Server Error' });
        }
      })();
    });

    // A .rapport/ table written by an older version gains what the current code writes, once (its KMS is up now).
    const backfilled = options.inMemory ? undefined : await backfillOnce(dynamo.client, TABLE_NAME, STATE_DIR);
    if (backfilled && Object.entries(backfilled).some(([count, n]) => count !== 'scanned' && count !== 'retries' && n > 0))
      printError(`rapport: brought the local table up to date ${JSON.stringify(backfilled)}`);

    let stopped: Promise<void> | undefined;
    return {
      baseUrl,
      dynamoDbEndpoint: dynamo.endpoint,
      // Each part is stopped even when one before it failed to stop.
      stop: () =>
        (stopped ??= (async () => {
          for (const cleanup of cleanups) {
            try {
              await cleanup();
            } catch (error) {
              printError(`local runtime: could not stop a part: ${(error as Error).message}`);
            }
          }
        })()),
      kill: () => dynamo.kill(),
    };
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
};
