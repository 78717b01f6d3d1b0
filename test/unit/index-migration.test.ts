import { describe, expect, it } from 'vitest';
import { INDEXES, LEGACY_INDEXES, MIGRATION_STEPS, tableIndexes } from '../../functions/storage/table/table-schema.ts';

describe('moving a deployed table to the current index layout', () => {
  it('changes exactly one index per step, from the legacy layout to the current one', () => {
    const names = (step?: number) => new Set(tableIndexes(step).map((index) => index.name));
    let before = new Set(LEGACY_INDEXES.map((index) => index.name));
    for (let step = 1; step <= MIGRATION_STEPS; step++) {
      const after = names(step);
      const added = [...after].filter((n) => !before.has(n));
      const removed = [...before].filter((n) => !after.has(n));
      expect(added.length + removed.length, `step ${step}`).toBe(1);
      // DynamoDB allows 20 GSIs per table; the widest step stays well under it.
      expect(after.size).toBeLessThanOrEqual(20);
      before = after;
    }
    expect([...before]).toEqual(INDEXES.map((index) => index.name));
    expect([...names()]).toEqual(INDEXES.map((index) => index.name));
  });

  it('refuses a step that is not one', () => {
    expect(() => tableIndexes(0)).toThrow(/whole number/);
    expect(() => tableIndexes(2.5)).toThrow(/whole number/);
  });
});
