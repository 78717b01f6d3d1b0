import { createHash, randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

interface Message {
  messageId: string;
  body: string;
  receiveCount: number;
  sentAt: number;
}

export interface LocalQueueOptions {
  /** Receives before a message goes to the dead letters (the stack's redrive policy: 5). */
  maxReceiveCount: number;
  /** How long a message the consumer failed on stays invisible before it is received again. */
  visibilityTimeoutMs: number;
  /** Where a message goes after maxReceiveCount failed receives. */
  deadLetter: (message: { messageId: string; body: string; sentAt: string }) => void;
  /** Messages a consumer call takes at most (the event source's batch size; 1 by default). */
  batchSize?: number;
  /** Consumer calls at once at most (the event source's maximum concurrency; unbounded by default). */
  concurrency?: number;
}

/**
 * An SQS queue with a Lambda consumer, on one machine: a message becomes visible after its
 * DelaySeconds and is handed to the consumer (the real handler) in a batch of up to `batchSize`
 * visible messages, with at most `concurrency` consumer calls at once; one the
 * consumer reports as failed is received again after the visibility timeout, and after
 * maxReceiveCount receives goes to the dead letters. Messages live in memory: a restart loses
 * those still waiting (SQS keeps them; this is the local runtime's one difference that matters).
 */
export class LocalQueue {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  /** Visible messages waiting for a consumer call (when calls are bounded). */
  private readonly ready: Message[] = [];
  private stopped = false;

  constructor(
    private readonly arn: string,
    private readonly consumer: (event: SQSEvent) => Promise<SQSBatchResponse | undefined>,
    private readonly options: LocalQueueOptions,
  ) {}

  send(body: string, delaySeconds = 0): { MessageId: string; MD5OfMessageBody: string } {
    const message: Message = { messageId: randomUUID(), body, receiveCount: 0, sentAt: Date.now() };
    this.later(() => this.receive(message), delaySeconds * 1000);
    return { MessageId: message.messageId, MD5OfMessageBody: createHash('md5').update(body).digest('hex') };
  }

  /** Resolves once no consumer call is under way (delayed messages are not waited for). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private later(run: () => void, ms: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  private receive(message: Message): void {
    this.ready.push(message);
    this.pump();
  }

  /** Starts consumer calls while messages wait and the concurrency allows. */
  private pump(): void {
    const limit = this.options.concurrency ?? Number.POSITIVE_INFINITY;
    while (!this.stopped && this.ready.length > 0 && this.running.size < limit) {
      const batch = this.ready.splice(0, this.options.batchSize ?? 1);
      const run = this.consume(batch);
      this.running.add(run);
      void run.finally(() => {
        this.running.delete(run);
        this.pump();
      });
    }
  }

  private async consume(batch: Message[]): Promise<void> {
    const records: SQSRecord[] = batch.map((message) => {
      message.receiveCount++;
      return {
        messageId: message.messageId,
        receiptHandle: randomUUID(),
        body: message.body,
        attributes: {
          ApproximateReceiveCount: String(message.receiveCount),
          SentTimestamp: String(message.sentAt),
          SenderId: 'local',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(message.body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: this.arn,
        awsRegion: 'us-east-1',
      };
    });
    let failed: Set<string>;
    try {
      const response = await this.consumer({ Records: records });
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      process.stderr.write(`queue consumer failed: ${(error as Error).message}\n`);
      failed = new Set(batch.map((m) => m.messageId));
    }
    for (const message of batch) {
      if (!failed.has(message.messageId)) continue;
      if (message.receiveCount >= this.options.maxReceiveCount)
        this.options.deadLetter({ messageId: message.messageId, body: message.body, sentAt: new Date(message.sentAt).toISOString() });
      else this.later(() => this.receive(message), this.options.visibilityTimeoutMs);
    }
  }
}
