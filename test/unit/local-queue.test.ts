import { describe, expect, it } from 'vitest';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { LocalQueue } from '../../lib/local/local-queue.ts';

/** The local stand-in for an SQS queue and its Lambda event source: batches, bounded concurrency, redelivery, dead letters. */
describe('LocalQueue', () => {
  it('hands batches of at most batchSize, never more consumer calls at once than concurrency, and every message once', async () => {
    let running = 0;
    let most = 0;
    const batches: number[] = [];
    const seen: string[] = [];
    const queue = new LocalQueue(
      'arn:aws:sqs:eu-west-1:000000000000:q',
      async (event: SQSEvent) => {
        running++;
        most = Math.max(most, running);
        batches.push(event.Records.length);
        seen.push(...event.Records.map((r) => r.body));
        await new Promise((resolve) => setTimeout(resolve, 20));
        running--;
        return { batchItemFailures: [] };
      },
      { maxReceiveCount: 5, visibilityTimeoutMs: 10, deadLetter: () => {}, batchSize: 10, concurrency: 2 },
    );
    for (let i = 0; i < 95; i++) queue.send(`m${i}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await queue.idle();
    queue.stop();
    expect(most).toBe(2);
    expect(Math.max(...batches)).toBe(10);
    expect(seen.sort()).toEqual(Array.from({ length: 95 }, (_, i) => `m${i}`).sort());
  });

  it('receives a failed message again, alone, and after maxReceiveCount sends it to the dead letters', async () => {
    const receives = new Map<string, number>();
    const dead: string[] = [];
    const queue = new LocalQueue(
      'arn:aws:sqs:eu-west-1:000000000000:q',
      async (event: SQSEvent): Promise<SQSBatchResponse> => {
        for (const r of event.Records) receives.set(r.body, (receives.get(r.body) ?? 0) + 1);
        return { batchItemFailures: event.Records.filter((r) => r.body === 'bad').map((r) => ({ itemIdentifier: r.messageId })) };
      },
      { maxReceiveCount: 3, visibilityTimeoutMs: 5, deadLetter: (m) => dead.push(m.body), batchSize: 10, concurrency: 2 },
    );
    queue.send('good');
    queue.send('bad');
    const until = Date.now() + 2000;
    while (dead.length === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
    queue.stop();
    expect(receives.get('good')).toBe(1);
    expect(receives.get('bad')).toBe(3);
    expect(dead).toEqual(['bad']);
  });
});
