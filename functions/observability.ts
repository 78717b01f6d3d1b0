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
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, type BusinessMetric } from './business-metrics.ts';

export const logger = new Logger();
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

/** The middlewares every handler starts with: the Lambda context in each log line, metrics. */
export const instrumentation = () => [injectLambdaContext(logger, { resetKeys: true }), publishMetrics()];
