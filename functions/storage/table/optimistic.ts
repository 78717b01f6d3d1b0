import { ConditionFailed, WriteConflict } from './transactions.ts';
import { ConcurrentChanges } from './errors.ts';

/**
 * How long a read-modify-write keeps retrying against concurrent writers before it gives up (503):
 * well inside a write function's 10 s timeout (lib/sizing.ts). One record takes a committed write
 * every few tens of milliseconds, so hundreds of writers to one record all land inside it (bench
 * table 9); the budget only runs out when a record is written without pause for seconds.
 */
export const RETRY_BUDGET_MS = 8000;
const MAX_WAIT_MS = 640;

/**
 * Runs a read-modify-write until it commits: when another writer committed between our read and
 * our conditional write, the attempt is re-run on fresh data, so neither writer loses its change
 * and a writer is refused only when the record stayed busy for the whole budget. Waits between
 * attempts with full jitter (up to 5 ms × 2^attempt, at most 640 ms), so the more often a writer
 * collides the wider the writers spread, and each round wastes fewer reads and writes. `attempt` itself decides (for instance with If-Match) whether a conflict is the caller's to see.
 */
export const withOptimisticRetry = async <T>(attempt: () => Promise<T>, budgetMs = RETRY_BUDGET_MS): Promise<T> => {
  const deadline = Date.now() + budgetMs;
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      const raced = (error instanceof ConditionFailed && error.index === 0) || error instanceof WriteConflict;
      if (!raced) throw error;
      const wait = Math.min(MAX_WAIT_MS, 5 * 2 ** i) * Math.random();
      if (Date.now() + wait >= deadline) throw new ConcurrentChanges();
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
};
