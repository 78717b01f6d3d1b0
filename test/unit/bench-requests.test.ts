import { describe, expect, it } from 'vitest';
import { busyTime, countByCommand, excess } from '../../bench/requests.ts';
import type { Recorded } from '../../lib/local/request-recorder.ts';

const request = (name: string, start: number, end: number, key = name): Recorded => ({
  command: `${name}Command`,
  key,
  write: /^(PutItem|UpdateItem|DeleteItem|TransactWriteItems|BatchWriteItem)$/.test(name),
  start,
  end,
  readUnits: 0,
  writeUnits: 0,
  consumed: [],
});

describe('the bench’s reading of recorded DynamoDB requests', () => {
  it('counts the time at least one request was in flight, once for overlapping requests', () => {
    expect(busyTime([request('GetItem', 0, 4), request('TransactWriteItems', 6, 10)])).toBe(8);
    expect(busyTime([request('Query', 0, 5), request('Query', 1, 3, 'b'), request('Query', 4, 7, 'c')])).toBe(7);
    expect(busyTime([])).toBe(0);
  });

  it('flags separate writes, a repeated request and separate point reads; not a read before a write', () => {
    expect(excess([request('GetItem', 0, 1), request('TransactWriteItems', 1, 2)])).toBeUndefined();
    expect(excess([request('Query', 0, 1), request('GetItem', 1, 2)])).toBeUndefined();
    expect(excess([request('PutItem', 0, 1), request('TransactWriteItems', 1, 2)])).toMatch(/2 separate writes/);
    expect(excess([request('GetItem', 0, 1, 'a'), request('GetItem', 1, 2, 'a')])).toMatch(/GetItem sent twice/);
    expect(excess([request('BatchGetItem', 0, 1, 'a'), request('GetItem', 1, 2, 'b')])).toMatch(/2 point reads/);
  });

  it('counts the requests of each command, by its short name, in order of first use', () => {
    const counted = countByCommand([request('Query', 0, 1, 'a'), request('TransactWriteItems', 1, 2), request('Query', 2, 3, 'b')]);
    expect([...counted]).toEqual([
      ['Query', 2],
      ['TransactWriteItems', 1],
    ]);
  });
});
