import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';

/** What `-c stage=dev|prod` decides. Context keys override single settings (see lib/rapport-app.ts). */
export interface StageSettings {
  logRetention: logs.RetentionDays;
  deletionProtection: boolean;
  /** API stage throttling: steady requests per second and burst. */
  throttle: { rateLimit: number; burstLimit: number };
  alarms: AlarmThresholds;
}

export interface AlarmThresholds {
  /** Length of one alarm period. */
  period: Duration;
  /** Periods (out of `evaluationPeriods`) that must breach before an alarm fires. */
  datapointsToAlarm: number;
  evaluationPeriods: number;
  /** API 5xx responses as a percentage of all requests in a period. */
  api5xxPercent: number;
  /** API latency p99 (ms) as API Gateway measures it. */
  apiLatencyP99Ms: number;
  /** Lambda errors (unhandled exceptions, timeouts, out of memory) summed over a group of functions in a period. */
  lambdaErrors: number;
  /** Lambda throttles summed over a group of functions in a period. */
  lambdaThrottles: number;
  /** Age of the newest stream record the publisher has read: how late events reach the bus. */
  streamIteratorAge: Duration;
  /** Webhook deliveries due and waiting for the worker (visible in the delivery queue): the delivery backlog. */
  webhookBacklog: number;
}

export const STAGES = {
  dev: {
    logRetention: logs.RetentionDays.ONE_WEEK,
    deletionProtection: false,
    throttle: { rateLimit: 50, burstLimit: 100 },
    alarms: {
      period: Duration.minutes(5),
      datapointsToAlarm: 3,
      evaluationPeriods: 3,
      api5xxPercent: 5,
      apiLatencyP99Ms: 3000,
      lambdaErrors: 5,
      lambdaThrottles: 10,
      streamIteratorAge: Duration.minutes(15),
      webhookBacklog: 1000,
    },
  },
  prod: {
    logRetention: logs.RetentionDays.SIX_MONTHS,
    deletionProtection: true,
    throttle: { rateLimit: 500, burstLimit: 1000 },
    alarms: {
      period: Duration.minutes(1),
      datapointsToAlarm: 3,
      evaluationPeriods: 5,
      api5xxPercent: 1,
      apiLatencyP99Ms: 1000,
      lambdaErrors: 1,
      lambdaThrottles: 1,
      streamIteratorAge: Duration.minutes(1),
      webhookBacklog: 1000,
    },
  },
} as const satisfies Record<string, StageSettings>;

export type Stage = keyof typeof STAGES;

export const isStage = (name: string): name is Stage => Object.hasOwn(STAGES, name);
