import { describe, expect, it } from 'vitest';
import { restoreEmptyMaps } from '../../lib/local/stream-poller.ts';

describe('local stream poller', () => {
  it('restores empty maps the streams client dropped, at any depth', () => {
    expect(restoreEmptyMaps({})).toEqual({ M: {} });
    expect(restoreEmptyMaps({ M: { a: {}, b: { L: [{}] }, c: { S: 'x' } } })).toEqual({ M: { a: { M: {} }, b: { L: [{ M: {} }] }, c: { S: 'x' } } });
  });
});
