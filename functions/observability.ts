/**
 * What every function carries to be operable: the Powertools logger, metrics (CloudWatch embedded
 * metric format; names in business-metrics.ts; dimension `service` = the function's family, set by
 * the stack through POWERTOOLS_SERVICE_NAME) and tracer (X-Ray; inert outside Lambda).
 */
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { METRICS_NAMESPACE, type BusinessMetric } from './business-metrics.ts';

export const logger = new Logger();
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE });
export const tracer = new Tracer();

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

/** The middlewares every handler starts with: an X-Ray segment, the Lambda context in each log line, metrics. */
export const instrumentation = () => [captureLambdaHandler(tracer, { captureResponse: false }), injectLambdaContext(logger, { resetKeys: true }), publishMetrics()];
