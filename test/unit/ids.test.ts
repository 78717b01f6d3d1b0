import { describe, expect, it } from 'vitest';
import { timeOrderedId } from '../../functions/domain/ids.ts';

describe('time-ordered ids', () => {
  it('sort in the order they were made, also within one millisecond', () => {
    const ids = Array.from({ length: 1000 }, () => timeOrderedId(1_700_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sort by time across milliseconds and never go back when the clock does', () => {
    const a = timeOrderedId(1_800_000_000_000);
    const b = timeOrderedId(1_800_000_000_001);
    const c = timeOrderedId(1_799_999_999_000);
    expect([a, b, c]).toEqual([a, b, c].sort());
    expect(a).toHaveLength(26);
  });
});
