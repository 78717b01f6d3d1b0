import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { RapportStack } from './rapport-stack.ts';
import { isStage, STAGES } from './stages.ts';

/**
 * Adds Rapport to a CDK app from its context and puts the cdk-nag AwsSolutions gate on it.
 * `stage` (dev | prod, default dev) selects log retention, deletion protection, API throttling and
 * alarm thresholds (lib/stages.ts); `deletionProtection`, `throttleRate`, `throttleBurst` override
 * single settings; `alarmEmail` subscribes an address to the alarm topic; `jwtIssuer`,
 * `jwtAudience`, `tenantClaim`, `sweepEveryMinutes`, `indexMigrationStep`, `customerRetentionDays` and `eventArchiveDays` as described in the README.
 */
export const addRapport = (app: App): RapportStack => {
  const context = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    return value === undefined || value === null || value === '' ? undefined : String(value);
  };
  const positive = (key: string): number | undefined => {
    const value = context(key);
    if (value === undefined) return undefined;
    const number = Number(value);
    if (!Number.isFinite(number) || number <= 0) throw new Error(`Context ${key} must be a positive number, not '${value}'.`);
    return number;
  };
  const stage = context('stage') ?? 'dev';
  if (!isStage(stage)) throw new Error(`Context stage must be one of ${Object.keys(STAGES).join(', ')}, not '${stage}'.`);
  const deletionProtection = context('deletionProtection');
  const throttleRate = positive('throttleRate');
  const throttleBurst = positive('throttleBurst');
  const stack = new RapportStack(app, `Rapport-${stage}`, {
    description: `Rapport customer-relationship backend (${stage})`,
    stage,
    overrides: {
      ...(deletionProtection === undefined ? {} : { deletionProtection: deletionProtection === 'true' }),
      ...(throttleRate || throttleBurst
        ? {
            throttle: {
              rateLimit: throttleRate ?? STAGES[stage].throttle.rateLimit,
              burstLimit: throttleBurst ?? Math.max(throttleRate ?? 0, STAGES[stage].throttle.burstLimit),
            },
          }
        : {}),
    },
    alarmEmail: context('alarmEmail'),
    jwtIssuer: context('jwtIssuer'),
    jwtAudience: context('jwtAudience')
      ?.split(',')
      .map((s) => s.trim()),
    tenantClaim: context('tenantClaim'),
    scheduleEveryMinutes: positive('sweepEveryMinutes'),
    indexMigrationStep: positive('indexMigrationStep'),
    customerRetentionDays: positive('customerRetentionDays'),
    eventArchiveDays: positive('eventArchiveDays'),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
};
