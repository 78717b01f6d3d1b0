/** What the tables compute from recorded DynamoDB requests (pure; tested in test/unit/bench-requests.test.ts). */
import type { Recorded } from '../lib/local/request-recorder.ts';

/** Wall time during which at least one DynamoDB request was in flight. */
export const busyTime = (requests: Recorded[]): number => {
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
export const excess = (requests: Recorded[]): string | undefined => {
  const writes = requests.filter((r) => r.write);
  if (writes.length > 1) return `${writes.length} separate writes: one TransactWriteItems would do`;
  const seen = new Set<string>();
  for (const r of requests) {
    const id = `${r.command}:${r.key}`;
    if (seen.has(id)) return `${r.command.replace(/Command$/, '')} sent twice`;
    seen.add(id);
  }
  const pointReads = requests.filter((r) => r.command === 'GetItemCommand' || r.command === 'BatchGetItemCommand');
  return pointReads.length > 1 ? `${pointReads.length} point reads: one BatchGetItem would do, unless a key depends on an earlier answer` : undefined;
};

/** How many of the requests each command sent, by its name without `Command` (`Query`, `TransactWriteItems`), in order of first use. */
export const countByCommand = (requests: Recorded[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const r of requests) {
    const command = r.command.replace(/Command$/, '');
    counts.set(command, (counts.get(command) ?? 0) + 1);
  }
  return counts;
};
