import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mockClient } from 'aws-sdk-client-mock';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Webhook } from 'standardwebhooks';
import { eventTypes } from '../../functions/event-catalog.ts';
import { EVENT_TYPE_NAMES } from '../../functions/webhooks/event-types.ts';
import { DISABLE_AFTER_SECONDS, MAX_ATTEMPTS, RETRY_SCHEDULE_SECONDS, retryAfterMs, retryDelayMs, verdictOf } from '../../functions/domain/webhook-retries.ts';
import { checkWebhookSecret } from '../../functions/domain/webhook-secret.ts';
import { newWebhookSecret, signatureHeaders } from '../../functions/events/signing.ts';
import { enqueueDeliveries, MAX_DELAY_SECONDS, type DeliveryMessage } from '../../functions/events/webhook-queue.ts';
import { deliver } from '../../functions/webhooks/deliver-webhooks.ts';
import { invertedId } from '../../functions/storage/table/keys.ts';
import { deterministicTimeOrderedId, timeOfId, timePrefix } from '../../functions/domain/ids.ts';
import { compareKeys } from '../../functions/storage/table/sharded-query.ts';

describe('webhook event types', () => {
  it("are exactly the event catalog's detail-types, each once", () => {
    const catalog = eventTypes.map((t) => t.detailType);
    expect(new Set(catalog).size).toBe(catalog.length);
    expect([...EVENT_TYPE_NAMES]).toEqual([...catalog].sort());
  });
});

describe('the retry schedule', () => {
  it('tries eight times over more than a day before giving up', () => {
    expect(MAX_ATTEMPTS).toBe(8);
    expect(RETRY_SCHEDULE_SECONDS.reduce((a, b) => a + b, 0)).toBeGreaterThan(DISABLE_AFTER_SECONDS);
    expect(retryDelayMs(MAX_ATTEMPTS, undefined, 1, 0.5)).toBeUndefined();
  });

  it('grows with each attempt, jittered by at most a fifth either way, and scales', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_ATTEMPTS - 1 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, random) => {
        const base = RETRY_SCHEDULE_SECONDS[attempt - 1]! * 1000;
        const delay = retryDelayMs(attempt, undefined, 1, random)!;
        expect(delay).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
        expect(delay).toBeLessThanOrEqual(Math.ceil(base * 1.2));
        expect(retryDelayMs(attempt, undefined, 0.001, random)).toBe(Math.round(base * 0.001 * (0.8 + 0.4 * random)));
      }),
    );
  });

  it('waits at least what Retry-After asks (seconds or a date), up to ten hours', () => {
    const now = Date.parse('2026-11-30T10:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Mon, 30 Nov 2026 10:05:00 GMT', now)).toBe(300_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryDelayMs(1, 120_000, 1, 0.5)).toBe(120_000);
    expect(retryDelayMs(1, 100 * 3_600_000, 1, 0.5)).toBe(36_000_000);
    expect(retryDelayMs(3, 1000, 1, 0.5)).toBe(1_800_000);
  });

  it('retries no answer, 408, 429 and 5xx; stops on other 4xx, on 3xx and on refused addresses; 410 is gone', () => {
    expect(verdictOf({})).toBe('retry');
    for (const status of [408, 429, 500, 502, 503]) expect(verdictOf({ status }), String(status)).toBe('retry');
    for (const status of [200, 201, 204, 299]) expect(verdictOf({ status }), String(status)).toBe('delivered');
    for (const status of [301, 400, 401, 403, 404, 413, 422]) expect(verdictOf({ status }), String(status)).toBe('failed');
    expect(verdictOf({ status: 410 })).toBe('gone');
    expect(verdictOf({ refused: true })).toBe('failed');
  });
});

describe('Standard Webhooks signatures', () => {
  it('verify with the spec library under every secret that signed, and under no other', () => {
    const [current, previous, stranger] = [newWebhookSecret(), newWebhookSecret(), newWebhookSecret()];
    const body = JSON.stringify({ eventId: 'e1', data: { name: 'Zoë' } });
    const headers = signatureHeaders([current, previous], 'e1', new Date(), body);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+ v1,[A-Za-z0-9+/=]+$/);
    expect(new Webhook(current).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(stranger).verify(body, headers)).toThrow();
    expect(() => new Webhook(current).verify(`${body} `, headers)).toThrow();
  });

  it('takes secrets in the spec format only: whsec_ and 24 to 64 bytes of base64', () => {
    expect(checkWebhookSecret(newWebhookSecret())).toBeUndefined();
    expect(checkWebhookSecret(`whsec_${Buffer.alloc(24).toString('base64')}`)).toBeUndefined();
    expect(checkWebhookSecret(`whsec_${Buffer.alloc(23).toString('base64')}`)).toMatch(/24 to 64/);
    expect(checkWebhookSecret(`whsec_${Buffer.alloc(65).toString('base64')}`)).toMatch(/24 to 64/);
    expect(checkWebhookSecret('secret')).toMatch(/whsec_/);
    expect(checkWebhookSecret('whsec_not base64!')).toMatch(/base64/);
  });
});

describe('ordering keys', () => {
  it('an inverted id sorts newest first, and inverting twice gives the id back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 47 }), fc.integer({ min: 0, max: 2 ** 47 }), (a, b) => {
        const [x, y] = [deterministicTimeOrderedId(a, 'x'), deterministicTimeOrderedId(b, 'y')];
        expect(invertedId(invertedId(x))).toBe(x);
        if (a < b) expect(compareKeys(invertedId(x), invertedId(y))).toBeGreaterThan(0);
      }),
    );
  });

  it('a time prefix sorts after every id made before its millisecond and before every id made at or after it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 47 }), (t) => {
        expect(compareKeys(deterministicTimeOrderedId(t - 1, 'before'), timePrefix(t))).toBeLessThan(0);
        expect(compareKeys(timePrefix(t), deterministicTimeOrderedId(t, 'at'))).toBeLessThan(0);
        expect(timeOfId(timePrefix(t))).toBe(t);
      }),
    );
  });
});

describe('the delivery queue', () => {
  const sqs = mockClient(SQSClient);
  const message: DeliveryMessage = { tenantId: 't', webhookId: 'w', eventId: 'e', eventType: 'CustomerCreated', event: { pk: 'p', sk: 's' }, attempt: 2 };
  beforeEach(() => {
    sqs.reset();
    process.env.WEBHOOK_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/deliveries';
  });

  it("delays up to SQS's 15 minutes, and marks a longer wait to go round again", async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    await enqueueDeliveries(
      [
        { message, delayMs: 4_000 },
        { message, delayMs: 2 * 3_600_000 },
      ],
      1_000_000,
    );
    const [call] = sqs.commandCalls(SendMessageBatchCommand);
    const [short, long] = call!.args[0].input.Entries!;
    expect(short).toMatchObject({ DelaySeconds: 4, MessageGroupId: 't/w' });
    expect(JSON.parse(short!.MessageBody!).notBefore).toBeUndefined();
    expect(long).toMatchObject({ DelaySeconds: MAX_DELAY_SECONDS });
    expect(JSON.parse(long!.MessageBody!).notBefore).toBe(1_000_000 + 2 * 3_600_000);
  });

  it('sends a delivery that is not due yet round again, keeping its time, without reading anything', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const notBefore = Date.now() + 5 * 3_600_000;
    await deliver({ ...message, notBefore });
    const [call] = sqs.commandCalls(SendMessageBatchCommand);
    const [entry] = call!.args[0].input.Entries!;
    expect(entry!.DelaySeconds).toBe(MAX_DELAY_SECONDS);
    expect(JSON.parse(entry!.MessageBody!)).toEqual({ ...message, notBefore });
  });

  it('throws when SQS refuses a message, so the caller is retried and nothing is lost', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false, Message: 'try again' }] });
    await expect(enqueueDeliveries([{ message }])).rejects.toThrow(/refused 1 message/);
  });
});
