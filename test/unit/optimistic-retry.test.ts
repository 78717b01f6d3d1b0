import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { withOptimisticRetry } from '../../functions/storage/table/optimistic.ts';
import { ConcurrentChanges } from '../../functions/storage/table/errors.ts';
import { ConditionFailed, WriteConflict } from '../../functions/storage/table/transactions.ts';

describe('withOptimisticRetry', () => {
  it('re-runs a raced attempt until it commits, however many rounds that takes inside the budget', async () => {
    // The jitter drawn low (a tenth of each widening wait), so 25 rounds take about a second whatever the draw would have been.
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.1);
    onTestFinished(() => random.mockRestore());
    let calls = 0;
    const result = await withOptimisticRetry(async () => {
      calls++;
      if (calls <= 25) throw calls % 2 ? new ConditionFailed(0, undefined) : new WriteConflict();
      return 'committed';
    });
    expect(result).toBe('committed');
    expect(calls).toBe(26);
  });

  it('refuses (ConcurrentChanges) only when the record stays busy for the whole budget', async () => {
    const started = Date.now();
    await expect(
      withOptimisticRetry(async () => {
        throw new ConditionFailed(0, undefined);
      }, 80),
    ).rejects.toBeInstanceOf(ConcurrentChanges);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('does not retry what is not a race: another item’s condition, or any other error', async () => {
    let calls = 0;
    await expect(
      withOptimisticRetry(async () => {
        calls++;
        throw new ConditionFailed(1, undefined);
      }),
    ).rejects.toBeInstanceOf(ConditionFailed);
    expect(calls).toBe(1);
  });
});
