import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EventRule } from '../../functions/catalog.ts';
import type { LocalQueue } from './local-queue.ts';
import { LocalKms } from './local-kms.ts';

/** An event as EventBridge delivers it to targets (and as `GET /_local/events` lists it). */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

export const LOCAL_ACCOUNT = '000000000000';
/** The local bus remembers this many events (the oldest are forgotten first), so a long session stays small. */
export const KEPT_EVENTS = 10_000;

/** Does an event match a rule's pattern? (the subset of EventBridge patterns the rules use: value lists) */
export const matchesPattern = (event: BusEvent, pattern: EventRule['pattern']): boolean =>
  Object.entries(pattern).every(([field, allowed]) => (allowed as string[]).includes(String(event[field as keyof BusEvent])));

interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Time?: number | string;
  Resources?: string[];
}

/**
 * The AWS APIs the handlers call besides DynamoDB, served locally: EventBridge PutEvents (reached
 * through AWS_ENDPOINT_URL_EVENTBRIDGE), SQS SendMessage(Batch) for the dead-letter queues
 * (AWS_ENDPOINT_URL_SQS), and KMS GenerateDataKey and Decrypt for sealed secrets
 * (AWS_ENDPOINT_URL_KMS; local-kms.ts). Events are kept oldest first and handed to the rules' targets.
 */
export class LocalAws {
  readonly events: BusEvent[] = [];
  /** What was sent to queues without a consumer (the dead-letter queues), by queue name. */
  readonly queues = new Map<string, { messageId: string; body: string; sentAt: string }[]>();
  /** Queues with a consumer (the webhook delivery queue), by name: messages sent there are delivered. */
  readonly consumedQueues = new Map<string, LocalQueue>();
  /** Entries whose DetailType is listed here fail (for failure drills); empty normally. */
  failDetailTypes = new Set<string>();

  /** The local KMS key; a new one unless the runtime keeps one (`.rapport/`). */
  readonly kms: LocalKms;

  constructor(
    private readonly region: string,
    private readonly onEvent: (event: BusEvent) => void,
    kmsKey: Buffer = randomBytes(32),
  ) {
    this.kms = new LocalKms(kmsKey);
  }

  /** Handles an AWS JSON-protocol request; undefined when the target is not one served here. */
  handle(target: string, body: Record<string, unknown>): { status: number; body: unknown } | undefined {
    switch (target) {
      case 'AWSEvents.PutEvents':
        return { status: 200, body: this.putEvents((body.Entries as PutEventsEntry[]) ?? []) };
      case 'AmazonSQS.SendMessageBatch': {
        const entries = (body.Entries as { Id: string; MessageBody: string; DelaySeconds?: number }[]) ?? [];
        return {
          status: 200,
          body: { Successful: entries.map((e) => ({ Id: e.Id, ...this.enqueue(String(body.QueueUrl), e.MessageBody, e.DelaySeconds) })), Failed: [] },
        };
      }
      case 'AmazonSQS.SendMessage':
        return { status: 200, body: this.enqueue(String(body.QueueUrl), String(body.MessageBody), body.DelaySeconds as number | undefined) };
      default:
        return target.startsWith('TrentService.') ? this.kms.handle(target.slice('TrentService.'.length), body) : undefined;
    }
  }

  private putEvents(entries: PutEventsEntry[]) {
    let failed = 0;
    const results = entries.map((entry) => {
      if (!entry.Source || !entry.DetailType || !entry.Detail) {
        failed++;
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Source, DetailType and Detail are required' };
      }
      if (this.failDetailTypes.has(entry.DetailType)) {
        failed++;
        return { ErrorCode: 'InternalFailure', ErrorMessage: 'injected failure' };
      }
      let detail: unknown;
      try {
        detail = JSON.parse(entry.Detail);
      } catch {
        failed++;
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not valid JSON' };
      }
      const time = entry.Time === undefined ? new Date() : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time);
      const event: BusEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: LOCAL_ACCOUNT,
        time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: this.region,
        resources: entry.Resources ?? [],
        detail,
      };
      this.events.push(event);
      if (this.events.length > KEPT_EVENTS) this.events.splice(0, this.events.length - KEPT_EVENTS);
      this.onEvent(event);
      return { EventId: event.id };
    });
    return { FailedEntryCount: failed, Entries: results };
  }

  /** Keeps a message sent to a dead-letter queue (for `GET /_local/dead-letters`). */
  deadLetter(name: string, message: { messageId: string; body: string; sentAt: string }): void {
    const list = this.queues.get(name) ?? [];
    list.push(message);
    this.queues.set(name, list);
  }

  private enqueue(queueUrl: string, body: string, delaySeconds = 0) {
    const name = queueUrl.split('/').pop() ?? queueUrl;
    const consumed = this.consumedQueues.get(name);
    if (consumed) return consumed.send(body, delaySeconds);
    const messageId = randomUUID();
    this.deadLetter(name, { messageId, body, sentAt: new Date().toISOString() });
    return { MessageId: messageId, MD5OfMessageBody: createHash('md5').update(body).digest('hex') };
  }
}
