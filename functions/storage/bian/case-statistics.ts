import { tableName, type ItemKey } from '../table/db.ts';
import { allShards, keys, shardOf } from '../table/keys.ts';
import type { TransactItem } from '../table/transactions.ts';
import { addToCounters } from '../customers/counters.ts';
import type { ResolutionTargets } from '../../domain/case-statistics.ts';

/**
 * The tenant's case statistics: counters sharded by incident reference (each incident counts in
 * its own shard), so no one item takes every incident change of a tenant (four shards: 4,000 a second); a Performance read sums
 * the shards, which it fetches in the same BatchGetItem as the plan and the record.
 */
export const CASE_STATISTICS_SHARDS = 4;
export const CASE_STATISTICS_ENTITY = 'CASESTATS';

export const caseStatisticsKeys = (tenantId: string): ItemKey[] => allShards(CASE_STATISTICS_SHARDS).map((shard) => keys.caseStatistics(tenantId, shard));
export const targetsKey = (tenantId: string) => keys.caseTargets(tenantId);

/** The counters of all shards, added up. */
export const sumStatistics = (shards: (Record<string, unknown> | undefined)[]): Record<string, number> => {
  const total: Record<string, number> = {};
  for (const shard of shards) {
    for (const [name, value] of Object.entries(shard ?? {})) if (typeof value === 'number') total[name] = (total[name] ?? 0) + value;
  }
  return total;
};

/** Atomic counter additions in the incident's shard, written in the transaction of the incident change that causes them. */
export const addToStatistics = (tenantId: string, incidentReference: string, delta: Record<string, number>): TransactItem[] => {
  if (Object.keys(delta).length === 0) return [];
  return [addToCounters(keys.caseStatistics(tenantId, shardOf(incidentReference, CASE_STATISTICS_SHARDS)), delta, CASE_STATISTICS_ENTITY)];
};

/** The tenant's resolution targets (those of the Rules record written last) from their item. */
export const targetsOf = (item: Record<string, unknown> | undefined): ResolutionTargets | undefined => item?.targets as ResolutionTargets | undefined;

export const putResolutionTargets = (tenantId: string, targets: ResolutionTargets, rulesReference: string): TransactItem => ({
  Put: { TableName: tableName(), Item: { ...targetsKey(tenantId), entity: 'CASETARGETS', targets, rulesReference, updated: new Date().toISOString() } },
});
