import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BusinessMetric, METRICS_NAMESPACE, SERVICE } from '../functions/business-metrics.ts';
import { pascalCase } from './names.ts';
import type { AlarmThresholds } from './stages.ts';

export interface MonitoringProps {
  stage: string;
  thresholds: AlarmThresholds;
  /** The API stage's steady rate limit (requests/s), drawn on the saturation graph. */
  throttleRate: number;
  api: HttpApi;
  /** API functions by family, in catalog order. */
  apiFunctions: Map<string, lambda.IFunction[]>;
  /** Everything that is not behind the API: publisher, notifier, scheduled jobs, auth trigger. */
  backgroundFunctions: lambda.IFunction[];
  publisher: lambda.IFunction;
  sweep: lambda.IFunction;
  /** The webhook dispatcher (the stream's second consumer) and the delivery queue. */
  webhooks: { dispatcher: lambda.IFunction; queue: sqs.IQueue };
  /** The queue of an import's rows' events waiting for the import relay (paced: a backlog is expected, a stuck one is not). */
  importEvents: sqs.IQueue;
  /** Dead-letter queues by what they catch. */
  deadLetterQueues: Record<string, sqs.IQueue>;
  /** Subscribed to the alarm topic when given. */
  alarmEmail?: string;
}

/** CloudWatch alarms cannot read more than 10 metrics, so sums over many functions are taken in groups of 10. */
const ALARM_METRIC_LIMIT = 10;

const chunks = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** One series from many: `fn` (SUM, MAX) over the given metrics, per period. */
const combined = (fn: 'SUM' | 'MAX', label: string, metrics: cloudwatch.IMetric[], period: Duration): cloudwatch.MathExpression => {
  // Ids unique within a graph: each series of a graph has its own label.
  const prefix = `${fn}_${label}`.toLowerCase().replace(/[^a-z0-9]/g, '');
  return new cloudwatch.MathExpression({
    expression: `${fn}([${metrics.map((_, i) => `${prefix}${i}`).join(',')}])`,
    usingMetrics: Object.fromEntries(metrics.map((m, i) => [`${prefix}${i}`, m])),
    label,
    period,
  });
};

const business = (metric: BusinessMetric, service: string, period: Duration, statistic = 'Sum') =>
  new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: metric, dimensionsMap: { service }, statistic, period, label: `${metric} (${service})` });

/**
 * Alarms on the SNS topic (API 5xx rate and latency, Lambda errors and throttles, dead-letter queues,
 * the publisher's stream iterator age, the due sweep) and a dashboard with the golden signals per
 * family. Every alarm is named `<stack>-<what>` so its meaning can be looked up in the README.
 */
export class RapportMonitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const t = props.thresholds;
    const stackName = `Rapport-${props.stage}`;

    // The topic is encrypted with a key CloudWatch may use (it cannot publish with the AWS managed key).
    const key = new kms.Key(this, 'AlarmTopicKey', { enableKeyRotation: true, description: 'Encrypts the Rapport alarm topic' });
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new sns.Topic(this, 'AlarmTopic', { displayName: `Rapport ${props.stage} alarms`, masterKey: key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);

    const alarm = (name: string, description: string, metric: cloudwatch.IMetric, threshold: number, options: Partial<cloudwatch.AlarmProps> = {}) => {
      const created = new cloudwatch.Alarm(this, name, {
        alarmName: `${stackName}-${name}`,
        alarmDescription: `${description} See README, "Operating Rapport", ${name}.`,
        metric,
        threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: t.evaluationPeriods,
        datapointsToAlarm: t.datapointsToAlarm,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...options,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms.push(created);
      return created;
    };

    // --- API -----------------------------------------------------------------------------------------
    const requests = props.api.metricCount({ period: t.period, statistic: 'Sum' });
    const serverErrors = props.api.metricServerError({ period: t.period, statistic: 'Sum' });
    const errorRate = new cloudwatch.MathExpression({
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: { requests, errors: serverErrors },
      label: 'API 5xx %',
      period: t.period,
    });
    alarm('Api5xxRate', `More than ${t.api5xxPercent}% of API requests answered 5xx.`, errorRate, t.api5xxPercent);
    const latencyP99 = props.api.metricLatency({ period: t.period, statistic: 'p99' });
    alarm('ApiLatencyP99', `API p99 latency at or above ${t.apiLatencyP99Ms} ms.`, latencyP99, t.apiLatencyP99Ms);

    // --- Lambda errors and throttles, per family in groups of 10 functions ------------------------------
    const groups = new Map([...props.apiFunctions, ['background', props.backgroundFunctions]]);
    for (const [family, functions] of groups) {
      const name = pascalCase(family);
      chunks(functions, ALARM_METRIC_LIMIT).forEach((group, i) => {
        const suffix = functions.length > ALARM_METRIC_LIMIT ? `${i + 1}` : '';
        const which = `${family} functions${suffix ? ` (group ${suffix})` : ''}`;
        alarm(
          `${name}LambdaErrors${suffix}`,
          `Unhandled errors, timeouts or out-of-memory in the ${which}.`,
          combined(
            'SUM',
            `${family} errors`,
            group.map((fn) => fn.metricErrors({ period: t.period })),
            t.period,
          ),
          t.lambdaErrors,
        );
        alarm(
          `${name}LambdaThrottles${suffix}`,
          `Lambda throttled invocations of the ${which}.`,
          combined(
            'SUM',
            `${family} throttles`,
            group.map((fn) => fn.metricThrottles({ period: t.period })),
            t.period,
          ),
          t.lambdaThrottles,
        );
      });
    }

    // --- Dead letters, event lateness, the sweep ----------------------------------------------------
    for (const [what, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(
        `${what}DeadLettersNotEmpty`,
        `The ${what} dead-letter queue holds messages: something was not delivered.`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        1,
        { evaluationPeriods: 1, datapointsToAlarm: 1 },
      );
    }
    const iteratorAge = props.publisher.metric('IteratorAge', { period: t.period, statistic: 'Maximum' });
    alarm(
      'StreamIteratorAge',
      `Events reach the bus ${t.streamIteratorAge.toHumanString()} or more after they were committed.`,
      iteratorAge,
      t.streamIteratorAge.toMilliseconds(),
    );
    alarm(
      'WebhookDispatchIteratorAge',
      `Events reach the webhook delivery queue ${t.streamIteratorAge.toHumanString()} or more after they were committed.`,
      props.webhooks.dispatcher.metric('IteratorAge', { period: t.period, statistic: 'Maximum' }),
      t.streamIteratorAge.toMilliseconds(),
    );
    alarm(
      'WebhookDeliveryBacklog',
      `${t.webhookBacklog} or more webhook deliveries are due and waiting for the delivery worker.`,
      props.webhooks.queue.metricApproximateNumberOfMessagesVisible({ period: t.period, statistic: 'Maximum' }),
      t.webhookBacklog,
    );
    // A big import's rows' events drain at the relay's pace (hours for millions of rows with recordEvents); a day old means it is stuck.
    alarm(
      'ImportRelayStuck',
      'An import row’s event has waited a day or more for the import relay.',
      props.importEvents.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(15), statistic: 'Maximum' }),
      Duration.days(1).toSeconds(),
      { evaluationPeriods: 1, datapointsToAlarm: 1 },
    );
    alarm(
      'SweepFailed',
      'A due-sweep run failed (error, timeout or out of memory).',
      props.sweep.metricErrors({ period: Duration.minutes(15), statistic: 'Sum' }),
      1,
      { evaluationPeriods: 1, datapointsToAlarm: 1 },
    );
    const itemsLeft = business(BusinessMetric.ItemsLeft, SERVICE.sweep, Duration.minutes(15), 'Minimum');
    alarm('SweepFallingBehind', 'Every due-sweep run for 45 minutes left due items for the next run: more is due than a run can flag.', itemsLeft, 1, {
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
    });
    alarm(
      'FeedLateEvents',
      'An event committed later than the feed settle time after taking its feed position: a feed reader may have passed it (README, "The event feed").',
      business(BusinessMetric.FeedLateEvents, SERVICE.publisher, Duration.minutes(5)),
      1,
      { evaluationPeriods: 1, datapointsToAlarm: 1 },
    );

    // Refusals by the callers' access and by rate limits, over every family: a surge is a misconfigured role or a caller probing (issue 25).
    const families = [...props.apiFunctions.keys()];
    const surge = (metric: BusinessMetric, label: string) =>
      combined(
        'SUM',
        label,
        families.map((family) => business(metric, family, Duration.minutes(5))),
        Duration.minutes(5),
      );
    alarm(
      'AccessRefusedSurge',
      "More than 500 requests in 5 minutes were refused by the callers' roles (403, or 404 for customers they may not see): a role set too narrow, or a caller probing.",
      surge(BusinessMetric.AccessRefused, 'access refused'),
      500,
      { evaluationPeriods: 1, datapointsToAlarm: 1 },
    );
    alarm(
      'RateLimitedSurge',
      'More than 1,000 requests in 5 minutes were refused by a tenant or user rate limit (429): a limit set too low, or a client not backing off.',
      surge(BusinessMetric.RateLimited, 'rate limited'),
      1000,
      { evaluationPeriods: 1, datapointsToAlarm: 1 },
    );

    // --- Dashboard: golden signals (traffic, errors, latency, saturation) per family ----------------
    const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []) =>
      new cloudwatch.GraphWidget({ title, left, right, width: 6, height: 6 });
    const lambdaRow = (family: string, functions: lambda.IFunction[]) => {
      const period = Duration.minutes(1);
      return [
        graph(`${family}: traffic`, [
          combined(
            'SUM',
            'invocations',
            functions.map((fn) => fn.metricInvocations({ period })),
            period,
          ),
        ]),
        graph(`${family}: errors`, [
          combined(
            'SUM',
            'errors',
            functions.map((fn) => fn.metricErrors({ period })),
            period,
          ),
          combined(
            'SUM',
            'throttles',
            functions.map((fn) => fn.metricThrottles({ period })),
            period,
          ),
        ]),
        graph(`${family}: latency (slowest function)`, [
          combined(
            'MAX',
            'p50 ms',
            functions.map((fn) => fn.metricDuration({ period, statistic: 'p50' })),
            period,
          ),
          combined(
            'MAX',
            'p99 ms',
            functions.map((fn) => fn.metricDuration({ period, statistic: 'p99' })),
            period,
          ),
        ]),
        graph(`${family}: saturation`, [
          combined(
            'SUM',
            'concurrent executions',
            functions.map((fn) => fn.metric('ConcurrentExecutions', { period, statistic: 'Maximum' })),
            period,
          ),
        ]),
      ];
    };
    const minute = Duration.minutes(1);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: stackName,
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          new cloudwatch.TextWidget({
            markdown: `# Rapport (${props.stage})\nGolden signals per family; alarms at the bottom, explained in the README ("Operating Rapport").`,
            width: 24,
            height: 2,
          }),
        ],
        [
          graph('API: traffic', [props.api.metricCount({ period: minute, statistic: 'Sum', label: 'requests' })]),
          graph('API: errors', [
            props.api.metricServerError({ period: minute, statistic: 'Sum', label: '5xx' }),
            props.api.metricClientError({ period: minute, statistic: 'Sum', label: '4xx' }),
          ]),
          graph('API: latency', [
            props.api.metricLatency({ period: minute, statistic: 'p50', label: 'p50 ms' }),
            props.api.metricLatency({ period: minute, statistic: 'p99', label: 'p99 ms' }),
            props.api.metricIntegrationLatency({ period: minute, statistic: 'p99', label: 'integration p99 ms' }),
          ]),
          new cloudwatch.GraphWidget({
            title: 'API: saturation (requests/s against the stage rate limit)',
            left: [
              new cloudwatch.MathExpression({
                expression: 'requests / PERIOD(requests)',
                usingMetrics: { requests: props.api.metricCount({ period: minute, statistic: 'Sum' }) },
                label: 'requests/s',
                period: minute,
              }),
            ],
            leftAnnotations: [{ value: props.throttleRate, label: 'stage rate limit' }],
            width: 6,
            height: 6,
          }),
        ],
        ...[...props.apiFunctions].map(([family, functions]) => lambdaRow(family, functions)),
        lambdaRow('background', props.backgroundFunctions),
        [
          graph(
            'Events',
            [business(BusinessMetric.EventsPublished, SERVICE.publisher, minute), business(BusinessMetric.EventsDeadLettered, SERVICE.publisher, minute)],
            [props.publisher.metric('IteratorAge', { period: minute, statistic: 'Maximum', label: 'iterator age ms' })],
          ),
          graph('Customers created', [business(BusinessMetric.CustomersCreated, 'tmf629', minute), business(BusinessMetric.CustomersCreated, 'crm', minute)]),
          graph('Due sweep', [
            business(BusinessMetric.ItemsFlagged, SERVICE.sweep, Duration.minutes(5)),
            business(BusinessMetric.ItemsLeft, SERVICE.sweep, Duration.minutes(5)),
          ]),
          graph('Hub notifications', [
            business(BusinessMetric.NotificationsDelivered, SERVICE.notifier, minute),
            business(BusinessMetric.NotificationsFailed, SERVICE.notifier, minute),
          ]),
        ],
        [
          graph(
            'Dead-letter queues (messages)',
            Object.entries(props.deadLetterQueues).map(([what, queue]) =>
              queue.metricApproximateNumberOfMessagesVisible({ period: minute, statistic: 'Maximum', label: what }),
            ),
          ),
          new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 18, height: 6 }),
        ],
      ],
    });
  }
}
