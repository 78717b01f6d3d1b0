import { Duration } from 'aws-cdk-lib';

/**
 * Memory and timeout of each kind of function, chosen from `npm run bench` (bench/RESULTS.md)
 * rather than left at defaults:
 * - memory: a cold API function peaks at about 75 MiB RSS (table 2); 512 MB leaves room for large
 *   list pages and BIAN records, and buys the CPU share (Lambda scales CPU with memory) that the
 *   CPU-bound init needs. The publisher and notifier hold at most a 100-record batch: 256 MB.
 * - timeout: warm API operations answer in tens of milliseconds even at p99 (table 3); the timeout
 *   covers the SDK's own retries under throttling (3 attempts with backoff) and, for writes, the
 *   optimistic re-read-and-retry loop, and stays well under API Gateway's 30 s integration limit.
 *   The notifier waits at most 3 × 5 s per subscriber (in parallel) plus backoff; the publisher puts
 *   10 batches of 10 with up to 4 attempts each; the sweep stops itself 5 s before its timeout,
 *   which is shorter than its rate (`sweepTimeout`), so runs never overlap.
 */
export const SIZING = {
  apiRead: { memorySize: 512, timeout: Duration.seconds(6) },
  apiWrite: { memorySize: 512, timeout: Duration.seconds(10) },
  publisher: { memorySize: 256, timeout: Duration.seconds(60) },
  notifier: { memorySize: 256, timeout: Duration.seconds(30) },
  /** Ten deliveries in parallel, each at most WEBHOOK_TIMEOUT_MS (10 s), plus their table writes. */
  webhookWorker: { memorySize: 256, timeout: Duration.seconds(30) },
  sweep: { memorySize: 512 },
  /** Cognito allows a trigger 5 s. */
  auth: { memorySize: 256, timeout: Duration.seconds(5) },
  /** An import's splitter streams the whole upload (5 GiB at tens of MB/s): Lambda's longest run; memory for CPU, not for the file. */
  importSplit: { memorySize: 1024, timeout: Duration.minutes(15) },
  /** A chunk of 1,000 rows, 8 written at once, each an API write (tens of ms), retried while busy. */
  importChunk: { memorySize: 1024, timeout: Duration.minutes(5) },
  /** The import relay: 10 rows' events a batch (a BatchGetItem, a PutEvents, the webhooks' queue or the search rows). */
  importRelay: { memorySize: 256, timeout: Duration.seconds(30) },
  /** An export's part: pages of customers into gzip files, until 60 s before its time ends (then it runs again from where it stopped). */
  exportPart: { memorySize: 1024, timeout: Duration.minutes(15) },
  /** The API's authorizer: Cedar's WebAssembly compiles at cold start, faster with the CPU more memory brings. */
  authorizer: { memorySize: 1024, timeout: Duration.seconds(10) },
} as const;

/**
 * The sweep's timeout for a schedule every `everyMinutes`: two minutes, but 5 s short of the rate
 * when that is shorter (55 s at one minute), so a run has ended before the next one starts (its
 * reserved concurrency is one: an overlapping run would be throttled and retried).
 */
export const sweepTimeout = (everyMinutes: number): Duration => Duration.seconds(Math.min(120, everyMinutes * 60 - 5));

/**
 * How long the authorizer's instance keeps a caller's access entries, and how long API Gateway
 * keeps the authorizer's answer per token: a role, team or membership change is in force
 * everywhere within their sum (issue 25: within 5 s).
 */
export const ACCESS_CACHE_SECONDS = 2;
export const ACCESS_RESULT_CACHE_SECONDS = 2;
