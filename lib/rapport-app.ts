import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { RapportStack } from './rapport-stack.ts';

/**
 * Adds Rapport to a CDK app from its context (stage, jwtIssuer, jwtAudience, tenantClaim,
 * deletionProtection, throttleRate, throttleBurst) and puts the cdk-nag AwsSolutions gate on it.
 */
export const addRapport = (app: App): RapportStack => {
  const context = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    return value === undefined || value === null || value === '' ? undefined : String(value);
  };
  const stage = context('stage') ?? 'dev';
  const deletionProtection = context('deletionProtection');
  const stack = new RapportStack(app, `Rapport-${stage}`, {
    description: `Rapport customer-relationship backend (${stage})`,
    jwtIssuer: context('jwtIssuer'),
    jwtAudience: context('jwtAudience')?.split(',').map((s) => s.trim()),
    tenantClaim: context('tenantClaim'),
    deletionProtection: deletionProtection === undefined ? stage === 'prod' : deletionProtection === 'true',
    scheduleEveryMinutes: context('sweepEveryMinutes') ? Number(context('sweepEveryMinutes')) : undefined,
    throttle: context('throttleRate')
      ? { rateLimit: Number(context('throttleRate')), burstLimit: Number(context('throttleBurst') ?? context('throttleRate')) }
      : undefined,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
};
