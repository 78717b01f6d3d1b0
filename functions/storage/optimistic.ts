import { ConditionFailed, WriteConflict } from './transactions.ts';
import { ConcurrentChanges } from './errors.ts';

/**
 * Runs a read-modify-write until it commits: when another writer committed between our read and
 * our conditional write, the attempt is re-run on fresh data, so neither writer loses its change.
 * `attempt` itself decides (for instance with If-Match) whether a conflict is the caller's to see.
 */
export const withOptimisticRetry = async <T>(attempt: () => Promise<T>, maxAttempts = 5): Promise<T> => {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      const raced = (error instanceof ConditionFailed && error.index === 0) || error instanceof WriteConflict;
      if (!raced) throw error;
      if (i >= maxAttempts) throw new ConcurrentChanges();
      await new Promise((resolve) => setTimeout(resolve, Math.min(200, 10 * 2 ** i) * Math.random()));
    }
  }
};
