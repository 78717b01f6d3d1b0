/**
 * `@rapport/client` without a server: retries of 429/503 after Retry-After (never a write without
 * its Idempotency-Key), the bearer token and the keys its middleware adds, cursor pages, and
 * webhook verification. The e2e test (test/e2e/client.test.ts) drives it against `npm start`.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import {
  changeIfMatch,
  createRapportClient,
  RapportError,
  retryAfterMs,
  retryingFetch,
  verifyWebhook,
  type EventOf,
  type RapportEvent,
  type WebhookTestEvent,
} from '../../clients/typescript/src/index.ts';
import { items } from '../../clients/typescript/src/pages.ts';

/** A fetch answering from a list, recording what it was sent. */
const scripted = (answers: (() => Response)[]) => {
  const sent: { method: string; url: string; headers: Headers; body: string }[] = [];
  const fetch = async (request: Request) => {
    sent.push({ method: request.method, url: request.url, headers: request.headers, body: await request.text() });
    const next = answers.shift();
    if (!next) throw new Error('no answer scripted');
    return next();
  };
  return { fetch, sent };
};
const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('retryingFetch', () => {
  it('waits the Retry-After of a 429 or 503, then tries again; a safe request only', async () => {
    const waits: number[] = [];
    const { fetch, sent } = scripted([json(429, {}, { 'retry-after': '2' }), json(503, {}), json(200, { ok: true })]);
    const send = retryingFetch(fetch, { sleep: async (ms) => void waits.push(ms), baseDelayMs: 100 });
    const answer = await send(new Request('https://rapport.test/api/v1/crm/customers'));
    expect(answer.status).toBe(200);
    expect(sent).toHaveLength(3);
    expect(waits[0]).toBe(2000);
    // Without a Retry-After: a jittered backoff, at most the base doubled once.
    expect(waits[1]).toBeLessThanOrEqual(200);
  });

  it('never sends a POST twice without an Idempotency-Key; with one, it is retried with the same key and body', async () => {
    const unkeyed = scripted([json(503, {}), json(200, {})]);
    const once = await retryingFetch(unkeyed.fetch, { sleep: async () => {} })(new Request('https://rapport.test/x', { method: 'POST', body: '{"a":1}' }));
    expect(once.status).toBe(503);
    expect(unkeyed.sent).toHaveLength(1);
    const keyed = scripted([json(429, {}, { 'retry-after': '0' }), json(201, {})]);
    const twice = await retryingFetch(keyed.fetch, { sleep: async () => {} })(
      new Request('https://rapport.test/x', { method: 'POST', body: '{"a":1}', headers: { 'idempotency-key': 'k1' } }),
    );
    expect(twice.status).toBe(201);
    expect(keyed.sent.map((s) => [s.headers.get('idempotency-key'), s.body])).toEqual([
      ['k1', '{"a":1}'],
      ['k1', '{"a":1}'],
    ]);
  });

  it('gives up after maxAttempts, answering the last 429', async () => {
    const { fetch, sent } = scripted(Array.from({ length: 3 }, () => json(429, {}, { 'retry-after': '1' })));
    const answer = await retryingFetch(fetch, { maxAttempts: 3, sleep: async () => {} })(new Request('https://rapport.test/y'));
    expect(answer.status).toBe(429);
    expect(sent).toHaveLength(3);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-12-04T10:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Fri, 04 Dec 2026 10:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});

describe('createRapportClient', () => {
  it('sends the bearer token a function answers, and an Idempotency-Key on every POST (the same on its retry)', async () => {
    let tokens = 0;
    const { fetch, sent } = scripted([json(503, {}, { 'retry-after': '0' }), json(201, { id: 'c1' }), json(200, [])]);
    const rapport = createRapportClient({ baseUrl: 'https://rapport.test/', token: async () => `t${++tokens}`, fetch, sleep: async () => {} });
    const created = await rapport.POST('/api/v1/crm/customers', { body: { name: 'Ada', type: 'PERSON' } });
    expect(created.data).toEqual({ id: 'c1' });
    await rapport.GET('/api/v1/crm/customers', { params: { query: { limit: 5 } } });
    expect(sent.map((s) => [s.method, new URL(s.url).pathname, s.headers.get('authorization')])).toEqual([
      ['POST', '/api/v1/crm/customers', 'Bearer t1'],
      ['POST', '/api/v1/crm/customers', 'Bearer t1'],
      ['GET', '/api/v1/crm/customers', 'Bearer t2'],
    ]);
    expect(sent[0]!.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent[1]!.headers.get('idempotency-key')).toBe(sent[0]!.headers.get('idempotency-key'));
    expect(sent[2]!.headers.get('idempotency-key')).toBeNull();
  });

  it('iterates a cursor list page after page (X-Next-Cursor), and a search (next in its body)', async () => {
    const { fetch, sent } = scripted([
      json(200, [{ id: 'a' }, { id: 'b' }], { 'x-next-cursor': 'c2' }),
      json(200, [{ id: 'c' }]),
      json(200, { results: [{ id: 'd' }], next: 'n2' }),
      json(200, { results: [{ id: 'e' }] }),
    ]);
    const rapport = createRapportClient({ baseUrl: 'https://rapport.test', token: 't', fetch });
    const listed: string[] = [];
    for await (const customer of rapport.customers({ limit: 2 })) listed.push(customer.id);
    expect(listed).toEqual(['a', 'b', 'c']);
    expect(new URL(sent[1]!.url).searchParams.get('cursor')).toBe('c2');
    const found: string[] = [];
    for await (const customer of rapport.search({ q: 'x', limit: 1 })) found.push(customer.id);
    expect(found).toEqual(['d', 'e']);
    expect(JSON.parse(sent[3]!.body)).toMatchObject({ q: 'x', cursor: 'n2' });
  });

  it('stops a list at an error, saying what the API answered', async () => {
    const read = async () => ({ error: { code: 'FORBIDDEN' }, response: new Response(null, { status: 403 }) });
    await expect(async () => {
      for await (const _ of items(read)) void _;
    }).rejects.toThrow(RapportError);
  });

  it('reads the event feed a page at a time from a saved position', async () => {
    const { fetch, sent } = scripted([
      json(200, { events: [{ eventId: 'e1' }], next: 'p1', more: true }),
      json(200, { events: [{ eventId: 'e2' }], next: 'p2', more: false }),
    ]);
    const rapport = createRapportClient({ baseUrl: 'https://rapport.test', token: 't', fetch });
    const pages = [];
    for await (const page of rapport.feed({ after: 'p0', types: ['CustomerCreated'] })) pages.push(page);
    expect(pages.map((p) => [p.events.map((e) => e.eventId), p.next])).toEqual([
      [['e1'], 'p1'],
      [['e2'], 'p2'],
    ]);
    expect(sent.map((s) => new URL(s.url).searchParams.get('after'))).toEqual(['p0', 'p1']);
    expect(new URL(sent[0]!.url).searchParams.get('types')).toBe('CustomerCreated');
  });
});

describe('verifyWebhook', () => {
  it('answers the event of a delivery signed with the secret, and refuses a tampered one', () => {
    const secret = `whsec_${Buffer.from('a-secret-of-32-bytes-for-testing!').toString('base64')}`;
    const body = JSON.stringify({ eventId: 'e1', eventType: 'CustomerCreated' });
    const at = new Date();
    const signature = new Webhook(secret).sign('msg_1', at, body);
    const headers = { 'Webhook-Id': 'msg_1', 'Webhook-Timestamp': String(Math.floor(at.getTime() / 1000)), 'Webhook-Signature': signature };
    expect(verifyWebhook(secret, body, headers)).toMatchObject({ eventType: 'CustomerCreated' });
    expect(() => verifyWebhook(secret, body.replace('e1', 'e2'), headers)).toThrow();
  });
});

describe('changeIfMatch', () => {
  const customer = { id: 'c1', name: 'Ada', type: 'PERSON' };
  it('changes under the version it read; after a 412 it reads again and changes what is there now', async () => {
    const { fetch, sent } = scripted([
      json(200, { ...customer, tags: ['a'] }, { etag: '"1"' }),
      json(412, { message: 'Precondition Failed' }),
      json(200, { ...customer, tags: ['a', 'b'] }, { etag: '"2"' }),
      json(200, { ...customer, tags: ['a', 'b', 'vip'] }, { etag: '"3"' }),
    ]);
    const rapport = createRapportClient({ baseUrl: 'https://rapport.test', token: 't', fetch });
    const path = { params: { path: { id: 'c1' } } };
    const changed = await changeIfMatch(
      () => rapport.GET('/api/v1/crm/customers/{id}', path),
      (current, headers) => rapport.PATCH('/api/v1/crm/customers/{id}', { ...path, headers, body: { tags: [...(current.tags ?? []), 'vip'] } }),
    );
    expect(changed.tags).toEqual(['a', 'b', 'vip']);
    // The second change is made from the second read: b, written by someone else in between, is kept.
    expect(sent.filter((s) => s.method === 'PATCH').map((s) => [s.headers.get('if-match'), JSON.parse(s.body).tags])).toEqual([
      ['"1"', ['a', 'vip']],
      ['"2"', ['a', 'b', 'vip']],
    ]);
  });

  it('gives up after its attempts, answering the last 412', async () => {
    const { fetch } = scripted(Array.from({ length: 4 }, (_, i) => (i % 2 === 0 ? json(200, customer, { etag: `"${i}"` }) : json(412, { message: 'stale' }))));
    const rapport = createRapportClient({ baseUrl: 'https://rapport.test', token: 't', fetch });
    const path = { params: { path: { id: 'c1' } } };
    const attempt = changeIfMatch(
      () => rapport.GET('/api/v1/crm/customers/{id}', path),
      (_current, headers) => rapport.PATCH('/api/v1/crm/customers/{id}', { ...path, headers, body: { name: 'Ada L.' } }),
      2,
    );
    await expect(attempt).rejects.toMatchObject({ status: 412 });
    await expect(attempt).rejects.toBeInstanceOf(RapportError);
  });
});

describe('typed events', () => {
  it('narrow an event by its eventType to its own data and source (checked by tsc)', () => {
    const typed = (event: RapportEvent | WebhookTestEvent): string => {
      if (event.eventType === 'CustomerCreated') {
        expectTypeOf(event.source).toEqualTypeOf<'rapport.crm'>();
        expectTypeOf(event.data.customer.id).toEqualTypeOf<string>();
        return event.data.customer.name;
      }
      if (event.eventType === 'WebhookTest') return event.data.url;
      return event.eventType;
    };
    expectTypeOf<EventOf<'ImportCompleted'>['source']>().toEqualTypeOf<'rapport.imports'>();
    expect(typed({ eventType: 'WebhookTest', data: { url: 'https://x.test' } } as WebhookTestEvent)).toBe('https://x.test');
  });
});
