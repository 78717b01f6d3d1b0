/**
 * What every function carries to be operable: the Powertools logger and metrics (CloudWatch
 * embedded metric format; names in business-metrics.ts; dimension `service` = the function's
 * family, set by the stack through POWERTOOLS_SERVICE_NAME). X-Ray: every function has Lambda's
 * active tracing (the service records each invocation and its cold start); the X-Ray SDK, which
 * adds subsegments per AWS call, is loaded only by the background functions (tracing.ts) — on
 * the API's cold path it cost ~15–20 % of a cold start (bench table 2).
 */
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, type BusinessMetric } from './business-metrics.ts';

type Level = 'debug' | 'info' | 'warn' | 'error';
type Attributes = Record<string, unknown>;

/**
 * The Powertools Logger, loaded when the first line is written. A successful API request writes
 * no line, and loading the logger was ~10 % of a cold start (bench table 2), so it stays off the
 * cold path of the requests that need none. Keys, the correlation id and the Lambda context are
 * kept until then and handed to the logger when it comes; lines keep their order; `flush()`
 * (run by `instrumentation()` at the end of every invocation) waits for lines still on their way.
 */
class DeferredLogger {
  #keys: Attributes = {};
  #correlationId: string | undefined;
  #context: Context | undefined;
  #coldStart = true;
  #logger: Logger | undefined;
  #loading: Promise<Logger> | undefined;
  readonly #pending = new Set<Promise<void>>();

  /** A new invocation: its Lambda context, and no keys from the one before. */
  startInvocation(context: Context): void {
    this.#keys = { coldStart: this.#coldStart };
    this.#coldStart = false;
    this.#correlationId = undefined;
    this.#context = context;
    if (this.#logger) {
      this.#logger.resetKeys();
      this.#logger.addContext(context);
      this.#logger.appendKeys(this.#keys);
    }
  }

  appendKeys(keys: Attributes): void {
    Object.assign(this.#keys, keys);
    this.#logger?.appendKeys(keys);
  }

  setCorrelationId(id: string): void {
    this.#correlationId = id;
    this.#logger?.setCorrelationId(id);
  }

  debug(message: string, attributes: Attributes = {}): void {
    this.#write('debug', message, attributes);
  }

  info(message: string, attributes: Attributes = {}): void {
    this.#write('info', message, attributes);
  }

  warn(message: string, attributes: Attributes = {}): void {
    this.#write('warn', message, attributes);
  }

  error(message: string, attributes: Attributes = {}): void {
    this.#write('error', message, attributes);
  }

  /** Waits until every line written so far is out. */
  async flush(): Promise<void> {
    await Promise.all(this.#pending);
  }

  #write(level: Level, message: string, attributes: Attributes): void {
    if (this.#logger) {
      this.#logger[level](message, attributes);
      return;
    }
    const line = this.#load().then((logger) => logger[level](message, attributes));
    this.#pending.add(line);
    void line.finally(() => this.#pending.delete(line));
  }

  #load(): Promise<Logger> {
    this.#loading ??= import('@aws-lambda-powertools/logger').then(({ Logger }) => {
      const logger = new Logger();
      if (this.#context) logger.addContext(this.#context);
      logger.appendKeys(this.#keys);
      if (this.#correlationId) logger.setCorrelationId(this.#correlationId);
      this.#logger = logger;
      return logger;
    });
    return this.#loading;
  }
}

export const logger = new DeferredLogger();

/**
 * Powertools Metrics, loaded with the function, unlike the logger: an on-demand cold start writes
 * its `ColdStart` metric in its first invocation (Powertools counts the first invocation of an
 * instance whose AWS_LAMBDA_INITIALIZATION_TYPE is on-demand), so loading Metrics with the first
 * metric would load it on every cold start all the same — inside the request instead of in the
 * initialisation, which Lambda may run before the request arrives. Loading it costs ~3 ms of CPU,
 * about 1 % of a cold start (bench table 2's retrieveCustomer built with and without it).
 */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE });

export const count = (metric: BusinessMetric, value = 1): void => {
  metrics.addMetric(metric, MetricUnit.Count, value);
};

/**
 * A `ColdStart` metric on the first invocation of each instance, and the invocation's business
 * metrics flushed at its end — only when there are some, so a read logs no empty metric line.
 */
const publishMetrics = (): MiddlewareObj<unknown, unknown, Error, Context> => {
  const flush = () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return {
    before: ({ context }) => metrics.captureColdStartMetric(context.functionName),
    after: flush,
    onError: flush,
  };
};

/** The Lambda context for the log lines of each invocation; the lines written out before it ends. */
const logContext = (): MiddlewareObj<unknown, unknown, Error, Context> => ({
  before: ({ context }) => logger.startInvocation(context),
  after: () => logger.flush(),
  onError: () => logger.flush(),
});

/** The middlewares every handler starts with: the Lambda context in each log line, metrics. */
export const instrumentation = () => [logContext(), publishMetrics()];
