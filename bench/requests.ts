/** What table 3 and 4 compute from an operation's recorded DynamoDB requests (pure; tested in test/unit/bench-requests.test.ts). */
/** One DynamoDB request an operation sent, as the bench's client middleware recorded it. */
export interface RecordedRequest {
  command: string;
  key: string;
  write: boolean;
  start: number;
  end: number;
  readUnits: number;
  writeUnits: number;
}

/** Wall time during which at least one DynamoDB request was in flight. */
export const busyTime = (requests: RecordedRequest[]): number => {
  let total = 0;
  let until = -Infinity;
  for (const r of [...requests].sort((a, b) => a.start - b.start)) {
    if (r.end <= until) continue;
    total += r.end - Math.max(r.start, until);
    until = r.end;
  }
  return total;
};

/** Requests that one would do instead of several: separate writes (one transaction), the same request twice, separate point reads (one BatchGetItem). */
export const excess = (requests: RecordedRequest[]): string | undefined => {
  const writes = requests.filter((r) => r.write);
  if (writes.length > 1) return `${writes.length} separate writes: one TransactWriteItems would do`;
  const seen = new Set<string>();
  for (const r of requests) {
    const id = `${r.command}:${r.key}`;
    if (seen.has(id)) return `${r.command} sent twice`;
    seen.add(id);
  }
  const pointReads = requests.filter((r) => r.command === 'GetItem' || r.command === 'BatchGetItem');
  return pointReads.length > 1 ? `${pointReads.length} point reads: one BatchGetItem would do, unless a key depends on an earlier answer` : undefined;
};

