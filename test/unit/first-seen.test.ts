/**
 * The splitter's table of first rows (functions/imports/first-seen.ts): for any sequence of keys it
 * answers what a Map of every key would — the first row of each key, nothing for a key's first row —
 * across its growth, while holding 12 bytes a slot, not the keys.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FirstSeen } from '../../functions/imports/first-seen.ts';

describe('FirstSeen', () => {
  it('answers the first row of a key as a Map of every key would', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 400 }), (keys) => {
        const seen = new FirstSeen();
        const first = new Map<string, number>();
        keys.forEach((key, row) => {
          expect(seen.see(key, row)).toBe(first.get(key));
          if (!first.has(key)) first.set(key, row);
        });
      }),
    );
  });

  it('grows past its first table and keeps every key: 200,000 distinct keys, then each again', () => {
    const seen = new FirstSeen();
    const count = 200_000;
    for (let row = 0; row < count; row++) expect(seen.see(`customer-${row}@example.com`, row)).toBeUndefined();
    for (let row = 0; row < count; row += 997) expect(seen.see(`customer-${row}@example.com`, count + row)).toBe(row);
    // At most 3 of 4 slots used: 2^18 slots hold 196,608 keys, so 200,000 take 2^19, 12 bytes each.
    expect(seen.bytes).toBe(2 ** 19 * 12);
  });
});
