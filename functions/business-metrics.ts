/**
 * The names the functions publish their metrics under (CloudWatch namespace `Rapport`, dimension
 * `service`), shared with the alarms and dashboard in lib/. No imports: the CDK app reads it too.
 */
export const METRICS_NAMESPACE = 'Rapport';

/** Each a count per invocation. */
export const BusinessMetric = {
  CustomersCreated: 'CustomersCreated',
  EventsPublished: 'EventsPublished',
  EventsDeadLettered: 'EventsDeadLettered',
  ItemsFlagged: 'ItemsFlagged',
  ItemsLeft: 'ItemsLeft',
  NotificationsDelivered: 'NotificationsDelivered',
  NotificationsFailed: 'NotificationsFailed',
  WebhooksDelivered: 'WebhooksDelivered',
  WebhookAttemptsFailed: 'WebhookAttemptsFailed',
  WebhooksDisabled: 'WebhooksDisabled',
  /** Events committed later than the feed's settle time after taking their feed position (the publisher counts them). */
  FeedLateEvents: 'FeedLateEvents',
  /** A request refused by the caller's access (403, or 404 for a record they may not see) (issue 25). */
  AccessRefused: 'AccessRefused',
  /** A request refused by its tenant's or user's rate limit (429). */
  RateLimited: 'RateLimited',
} as const;
export type BusinessMetric = (typeof BusinessMetric)[keyof typeof BusinessMetric];

/** The `service` dimension of each function kind (POWERTOOLS_SERVICE_NAME, set by the stack). */
export const SERVICE = {
  publisher: 'events',
  notifier: 'tmf629',
  webhooks: 'webhooks',
  sweep: 'due-sweep',
  auth: 'auth',
  imports: 'imports',
} as const;
