/**
 * What every function carries to be operable: the Powertools logger, metrics (CloudWatch embedded
 * metric format, namespace `Rapport`, dimension `service` = the function's family, set by the stack
 * through POWERTOOLS_SERVICE_NAME) and tracer (X-Ray; inert outside Lambda).
 */
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';

export const METRICS_NAMESPACE = 'Rapport';

export const logger = new Logger();
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE });
export const tracer = new Tracer();

/** The business metrics, each a count; the dashboard and alarms in lib/ read them by these names. */
export const BusinessMetric = {
  CustomersCreated: 'CustomersCreated',
  EventsPublished: 'EventsPublished',
  EventsDeadLettered: 'EventsDeadLettered',
  ItemsFlagged: 'ItemsFlagged',
  ItemsLeft: 'ItemsLeft',
  NotificationsDelivered: 'NotificationsDelivered',
  NotificationsFailed: 'NotificationsFailed',
} as const;
export type BusinessMetric = (typeof BusinessMetric)[keyof typeof BusinessMetric];

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
