import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { tableName } from './db.ts';
import { keys } from './keys.ts';
import type { ResolutionTargets } from '../domain/case-statistics.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const caseStatisticsKey = (tenantId: string) => ({ pk: `${keys.tenantPrefix(tenantId)}#CASESTATS`, sk: 'STATS' });
export const targetsKey = (tenantId: string) => ({ pk: `${keys.tenantPrefix(tenantId)}#CASETARGETS`, sk: 'TARGETS' });

/** Atomic counter additions, written in the transaction of the incident change that causes them. */
export const addToStatistics = (tenantId: string, delta: Record<string, number>): TransactItem[] => {
  const entries = Object.entries(delta);
  if (entries.length === 0) return [];
  return [
    {
      Update: {
        TableName: tableName(),
        Key: caseStatisticsKey(tenantId),
        UpdateExpression: `SET entity = :entity ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#c${i}`, name])),
        ExpressionAttributeValues: { ':entity': 'CASESTATS', ...Object.fromEntries(entries.map(([, value], i) => [`:c${i}`, value])) },
      },
    },
  ];
};

/** The tenant's resolution targets (those of the Rules record written last) from their item. */
export const targetsOf = (item: Record<string, unknown> | undefined): ResolutionTargets | undefined => item?.targets as ResolutionTargets | undefined;

export const putResolutionTargets = (tenantId: string, targets: ResolutionTargets, rulesReference: string): TransactItem => ({
  Put: { TableName: tableName(), Item: { ...targetsKey(tenantId), entity: 'CASETARGETS', targets, rulesReference, updated: new Date().toISOString() } },
});
