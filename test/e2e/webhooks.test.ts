import { afterEach, describe, expect, it } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { eventually, http, startListener, TMF, TMF_V5, token, type Listener } from '../support/http.ts';
import { isFamilyError } from '../support/error-bodies.ts';

/**
 * Webhooks and the event feed through the local runtime: the real stream dispatcher, the delivery
 * queue and its worker, receivers on loopback. The runtime runs with WEBHOOK_TIME_SCALE=0.001, so
 * the retry schedule's first steps take a second each (SQS delays are whole seconds).
 */
const WEBHOOKS = '/api/v1/webhooks';
const listeners: Listener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((l) => l.close()));
});
const listen = async (respond?: (req: IncomingMessage, res: ServerResponse) => void) => {
  const listener = await startListener(respond);
  listeners.push(listener);
  return listener;
};
const idle = () => http('POST', '/_local/idle', { token: null });
const newTenant = (what: string) => `wh-${what}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;

type FeedEvent = { eventId: string; eventType: string; subject: { id: string }; sequence: number; source: string; tenantId: string };

/** The whole feed from the start, a page of `limit` at a time, following `next` while there is more. */
const readFeed = async (auth: Promise<string>, limit = 3, types?: string): Promise<{ events: FeedEvent[]; next: string; pages: number }> => {
  const events: FeedEvent[] = [];
  let after: string | undefined;
  for (let pages = 1; ; pages++) {
    const query = new URLSearchParams({ limit: String(limit), ...(after ? { after } : {}), ...(types ? { types } : {}) });
    const page = await http('GET', `/api/v1/events?${query}`, { token: auth });
    expect(page.status).toBe(200);
    events.push(...page.body.events);
    after = page.body.next;
    if (!page.body.more) return { events, next: after!, pages };
  }
};

const crmCustomer = (auth: Promise<string>, name: string) => http('POST', '/api/v1/crm/customers', { token: auth, body: { name, type: 'PERSON' } });

describe('webhooks: signed deliveries and the event feed', () => {
  it('signs every delivery so the standardwebhooks library verifies it; the feed from the start holds the same events, with the same ids, in order', async () => {
    const tenant = newTenant('feed');
    const auth = token({ tenant });
    const receiver = await listen((_req, res) => res.writeHead(204).end());
    const created = await http('POST', WEBHOOKS, { token: auth, body: { url: receiver.url, eventTypes: ['*'], description: 'everything' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      url: receiver.url,
      eventTypes: ['*'],
      enabled: true,
      version: 1,
      secret: expect.stringMatching(/^whsec_/),
    });
    expect(created.headers.get('location')).toMatch(new RegExp(`${WEBHOOKS}/${created.body.id}$`));
    const { secret } = created.body;
    // The secret is shown once: never on a read.
    const read = await http('GET', `${WEBHOOKS}/${created.body.id}`, { token: auth });
    expect(read.body.secret).toBeUndefined();
    expect(JSON.stringify(read.body)).not.toContain(secret);

    // Changes in three families: seven events with the webhook's own creation (a CRM customer change is also told as TMF629's event).
    const ada = await crmCustomer(auth, 'Ada Lovelace');
    await http('PATCH', `/api/v1/crm/customers/${ada.body.id}`, { token: auth, body: { email: 'ada@example.com' } });
    await http('POST', `/api/v1/crm/customers/${ada.body.id}/activities`, { token: auth, body: { type: 'CALL', subject: 'Intro' } });
    await http('POST', `${TMF}/customer`, { token: auth, body: { name: 'Moon FC', engagedParty: { '@referredType': 'Organization', id: '500' } } });
    await idle();

    const feed = await eventually(
      'the feed to settle',
      async () => {
        const all = await readFeed(auth);
        return all.events.length >= 7 && all.events.length === new Set(receiver.received.map((r) => r.headers['webhook-id'])).size ? all : undefined;
      },
      20_000,
    );
    expect(feed.events.map((e) => e.eventType).sort()).toEqual([
      'ActivityCreated',
      'CustomerAttributeValueChangeEvent',
      'CustomerCreateEvent',
      'CustomerCreateEvent',
      'CustomerCreated',
      'CustomerUpdated',
      'WebhookCreated',
    ]);
    expect(feed.pages).toBeGreaterThan(2);
    const ids = feed.events.map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(feed.events.every((e) => e.tenantId === tenant)).toBe(true);
    expect(feed.events[0]).toMatchObject({ eventType: 'WebhookCreated', source: 'rapport.webhooks' });
    expect(new Set(feed.events.map((e) => e.source))).toEqual(new Set(['rapport.webhooks', 'rapport.crm', 'rapport.tmf629']));
    // Each subject's events come in the order of their sequence.
    const lastSequence = new Map<string, number>();
    for (const event of feed.events) {
      const key = `${event.source}/${event.subject.id}`;
      expect(event.sequence).toBeGreaterThan(lastSequence.get(key) ?? 0);
      lastSequence.set(key, event.sequence);
    }

    // The webhook received exactly these events: the same ids, verified by the spec's library.
    const delivered = new Map<string, FeedEvent>();
    for (const delivery of receiver.received) {
      const verified = new Webhook(secret).verify(delivery.raw, delivery.headers) as FeedEvent;
      expect(delivery.headers['webhook-id']).toBe(verified.eventId);
      expect(Number(delivery.headers['webhook-timestamp'])).toBeGreaterThan(Date.now() / 1000 - 60);
      delivered.set(verified.eventId, verified);
    }
    expect([...delivered.keys()].sort()).toEqual([...ids].sort());
    for (const event of feed.events) expect(delivered.get(event.eventId)).toEqual(event);

    // A reader at the head is told where to resume and that there is no more.
    const head = await http('GET', `/api/v1/events?after=${feed.next}`, { token: auth });
    expect(head.body).toMatchObject({ events: [], more: false });
    // types filters; another tenant sees none of it.
    const onlyCrm = await readFeed(auth, 100, 'CustomerCreated,ActivityCreated');
    expect(onlyCrm.events.map((e) => e.eventType).sort()).toEqual(['ActivityCreated', 'CustomerCreated']);
    const stranger = await http('GET', '/api/v1/events', { token: token({ tenant: newTenant('other') }) });
    expect(stranger.body.events).toEqual([]);
  });

  it('retries a failing receiver on the schedule, honours Retry-After, and logs every attempt', async () => {
    const auth = token({ tenant: newTenant('retry') });
    let calls = 0;
    const receiver = await listen((_req, res) => {
      calls++;
      if (calls === 1) return res.writeHead(500).end();
      if (calls === 2) return res.writeHead(503, { 'retry-after': '2' }).end();
      if (calls === 3) return res.writeHead(429).end();
      res.writeHead(200).end();
    });
    const webhook = await http('POST', WEBHOOKS, { token: auth, body: { url: receiver.url, eventTypes: ['CustomerCreated'] } });
    const customer = await crmCustomer(auth, 'Grace Hopper');
    const log = await eventually(
      'the fourth attempt to succeed',
      async () => {
        const page = await http('GET', `${WEBHOOKS}/${webhook.body.id}/deliveries`, { token: auth });
        return page.body[0]?.status === 'delivered' ? page.body : undefined;
      },
      20_000,
    );
    expect(log).toHaveLength(1);
    const [delivery] = log;
    expect(delivery).toMatchObject({ eventType: 'CustomerCreated', status: 'delivered' });
    expect(delivery.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 503, 429, 200]);
    for (const attempt of delivery.attempts) expect(attempt.latencyMs).toEqual(expect.any(Number));
    const times = delivery.attempts.map((a: { at: string }) => Date.parse(a.at));
    // Retry-After: 2 is honoured over the compressed schedule's second step.
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(1900);
    // One event, one id, across every attempt.
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([delivery.id]));
    expect(receiver.received[0]!.body).toMatchObject({ eventType: 'CustomerCreated', data: { customer: { id: customer.body.id } } });
    const health = await http('GET', `${WEBHOOKS}/${webhook.body.id}`, { token: auth });
    expect(health.body.failingSince).toBeUndefined();
  });

  it('does not retry a 400, and one slow receiver never delays another', async () => {
    const auth = token({ tenant: newTenant('isolation') });
    const refusing = await listen((_req, res) => res.writeHead(400).end());
    const held: ServerResponse[] = [];
    const slow = await listen((_req, res) => held.push(res));
    const fast = await listen((_req, res) => res.writeHead(204).end());
    const hooks: { id: string }[] = [];
    for (const receiver of [refusing, slow, fast])
      hooks.push((await http('POST', WEBHOOKS, { token: auth, body: { url: receiver.url, eventTypes: ['CustomerCreated'] } })).body);
    await crmCustomer(auth, 'Katherine Johnson');
    await eventually('the fast receiver', async () => (fast.received.length === 1 ? true : undefined));
    await eventually('the slow receiver holding its request', async () => (held.length === 1 ? true : undefined));
    expect(fast.received).toHaveLength(1);
    for (const res of held) res.writeHead(204).end();
    const refusingId = hooks[0]!.id;
    const refused = await eventually('the refusal logged', async () => {
      const page = await http('GET', `${WEBHOOKS}/${refusingId}/deliveries`, { token: auth });
      return page.body[0]?.status === 'failed' ? page.body[0] : undefined;
    });
    expect(refused.attempts).toHaveLength(1);
    expect(refused.attempts[0].statusCode).toBe(400);
    expect(refused.reason).toMatch(/refused/);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(refusing.received).toHaveLength(1);
    // A failure is remembered on the webhook until the next success.
    expect((await http('GET', `${WEBHOOKS}/${refusingId}`, { token: auth })).body.failingSince).toEqual(expect.any(String));
  });

  it('disables a webhook whose receiver answers 410 (with a WebhookDisabled event); enabled again, a redelivery reaches it', async () => {
    const auth = token({ tenant: newTenant('gone') });
    let gone = true;
    const receiver = await listen((_req, res) => res.writeHead(gone ? 410 : 204).end());
    const webhook = await http('POST', WEBHOOKS, { token: auth, body: { url: receiver.url, eventTypes: ['CustomerCreated', 'CustomerUpdated'] } });
    const first = await crmCustomer(auth, 'Hedy Lamarr');
    const disabled = await eventually('the webhook disabled', async () => {
      const read = await http('GET', `${WEBHOOKS}/${webhook.body.id}`, { token: auth });
      return read.body.enabled === false ? read : undefined;
    });
    expect(disabled.body).toMatchObject({ disabledReason: expect.stringMatching(/410/), disabledAt: expect.any(String), version: 2 });
    const events = await eventually('the WebhookDisabled event in the feed', async () => {
      const feed = await readFeed(auth, 100, 'WebhookDisabled');
      return feed.events.length === 1 ? feed.events : undefined;
    });
    expect(events[0]).toMatchObject({ subject: { type: 'Webhook', id: webhook.body.id }, actor: 'rapport:webhook-delivery' });

    const failed = await eventually('the failed delivery logged', async () => {
      const page = await http('GET', `${WEBHOOKS}/${webhook.body.id}/deliveries`, { token: auth });
      return page.body[0]?.status === 'failed' ? page.body[0] : undefined;
    });
    expect(failed.attempts).toEqual([expect.objectContaining({ statusCode: 410 })]);

    // Disabled: the next event is neither sent nor queued (a consumer catches up from the feed).
    await http('PATCH', `/api/v1/crm/customers/${first.body.id}`, { token: auth, body: { email: 'hedy@example.com' } });
    await idle();
    expect(receiver.received).toHaveLength(1);
    expect((await http('GET', `${WEBHOOKS}/${webhook.body.id}/deliveries`, { token: auth })).body).toHaveLength(1);

    // Enabled again (a user's PATCH, If-Match honoured), the failed delivery is redelivered with its own id.
    gone = false;
    const enabled = await http('PATCH', `${WEBHOOKS}/${webhook.body.id}`, { token: auth, body: { enabled: true }, headers: { 'if-match': '"2"' } });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ enabled: true, version: 3 });
    expect(enabled.body.disabledReason).toBeUndefined();
    const redelivered = await http('POST', `${WEBHOOKS}/${webhook.body.id}/deliveries/${failed.id}/redeliver`, { token: auth });
    expect(redelivered.status).toBe(202);
    expect(redelivered.body).toMatchObject({ id: failed.id, status: 'pending' });
    await eventually('the redelivery', async () => (receiver.received.length === 2 ? true : undefined));
    expect(receiver.received[1]!.headers['webhook-id']).toBe(failed.id);
    const log = await eventually('the redelivery logged', async () => {
      const entry = (await http('GET', `${WEBHOOKS}/${webhook.body.id}/deliveries`, { token: auth })).body[0];
      return entry?.status === 'delivered' ? entry : undefined;
    });
    expect(log.attempts).toEqual([expect.objectContaining({ statusCode: 410 }), expect.objectContaining({ statusCode: 204, redelivery: true })]);
    expect((await http('POST', `${WEBHOOKS}/${webhook.body.id}/deliveries/NOSUCHDELIVERY/redeliver`, { token: auth })).status).toBe(404);
  });

  it('sends a test delivery once when asked — signed, to a disabled webhook too — logs it as a test, and leaves the webhook’s health alone', async () => {
    const tenant = newTenant('test');
    const auth = token({ tenant });
    let answer = 500;
    const receiver = await listen((_req, res) => res.writeHead(answer).end());
    const webhook = await http('POST', WEBHOOKS, { token: auth, body: { url: receiver.url, eventTypes: ['CustomerCreated'], enabled: false } });
    expect(webhook.status).toBe(201);
    const outcome = async (id: string) =>
      eventually(`test delivery ${id} settled`, async () => {
        const entry = (await http('GET', `${WEBHOOKS}/${webhook.body.id}/deliveries`, { token: auth })).body.find((d: { id: string }) => d.id === id);
        return ['delivered', 'failed'].includes(entry?.status) ? entry : undefined;
      });

    // A receiver answering 500: one attempt, logged failed as a test, no retry queued, the webhook not marked failing.
    const failing = await http('POST', `${WEBHOOKS}/${webhook.body.id}/test`, { token: auth });
    expect(failing.status, JSON.stringify(failing.body)).toBe(202);
    expect(failing.body).toMatchObject({ id: expect.any(String), webhookId: webhook.body.id, eventType: 'WebhookTest', status: 'pending', test: true });
    const failed = await outcome(failing.body.id);
    expect(failed).toMatchObject({
      status: 'failed',
      test: true,
      reason: 'a test delivery is made once',
      attempts: [expect.objectContaining({ statusCode: 500 })],
    });
    await idle();
    expect(receiver.received).toHaveLength(1);
    const after = (await http('GET', `${WEBHOOKS}/${webhook.body.id}`, { token: auth })).body;
    expect(after.failingSince).toBeUndefined();
    expect(after.enabled).toBe(false);

    // Answering 204: delivered, signed with the webhook's secret, a WebhookTest event about the webhook itself.
    answer = 204;
    const passing = await http('POST', `${WEBHOOKS}/${webhook.body.id}/test`, { token: auth });
    expect((await outcome(passing.body.id)).status).toBe('delivered');
    const sent = receiver.received[1]!;
    expect(sent.headers['webhook-id']).toBe(passing.body.id);
    const verified = new Webhook(webhook.body.secret).verify(sent.raw, sent.headers) as Record<string, unknown>;
    expect(verified).toMatchObject({
      source: 'rapport.webhooks',
      eventId: passing.body.id,
      eventType: 'WebhookTest',
      subject: { type: 'Webhook', id: webhook.body.id },
      sequence: 0,
      data: { url: receiver.url },
    });
    // A failed test redelivered is sent as a test again, once.
    const again = await http('POST', `${WEBHOOKS}/${webhook.body.id}/deliveries/${failing.body.id}/redeliver`, { token: auth });
    expect(again.status).toBe(202);
    expect((await outcome(failing.body.id)).attempts).toEqual([
      expect.objectContaining({ statusCode: 500 }),
      expect.objectContaining({ statusCode: 204, redelivery: true }),
    ]);
    expect(receiver.received[2]!.body).toMatchObject({ eventType: 'WebhookTest', eventId: failing.body.id });
    // Tests are not events: not in the feed.
    expect((await readFeed(auth, 100)).events.filter((e) => e.eventType === 'WebhookTest')).toEqual([]);
    expect((await http('POST', `${WEBHOOKS}/NOSUCHWEBHOOK/test`, { token: auth })).status).toBe(404);
    // Another tenant cannot send to it: not found, and nothing reaches the receiver.
    expect((await http('POST', `${WEBHOOKS}/${webhook.body.id}/test`, { token: token({ tenant: newTenant('other') }) })).status).toBe(404);
    await idle();
    expect(receiver.received).toHaveLength(3);
    // Sending is a write: a read-only caller is refused.
    expect((await http('POST', `${WEBHOOKS}/${webhook.body.id}/test`, { token: token({ tenant, scopes: ['rapport/read'] }) })).status).toBe(403);
  });

  it('rotates the secret: both sign during the overlap, only the new one after it', async () => {
    const auth = token({ tenant: newTenant('rotate') });
    const receiver = await listen((_req, res) => res.writeHead(204).end());
    const webhook = await http('POST', WEBHOOKS, { token: auth, body: { url: receiver.url, eventTypes: ['CustomerCreated'] } });
    const oldSecret = webhook.body.secret;
    const rotated = await http('POST', `${WEBHOOKS}/${webhook.body.id}/rotate-secret`, { token: auth, body: { overlapHours: 1 } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(oldSecret);
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(3_500_000);
    await crmCustomer(auth, 'During the overlap');
    await eventually('the first delivery', async () => (receiver.received.length === 1 ? true : undefined));
    const [during] = receiver.received;
    expect(new Webhook(oldSecret).verify(during!.raw, during!.headers)).toBeDefined();
    expect(new Webhook(rotated.body.secret).verify(during!.raw, during!.headers)).toBeDefined();

    const ended = await http('POST', `${WEBHOOKS}/${webhook.body.id}/rotate-secret`, { token: auth, body: { overlapHours: 0 } });
    expect(ended.body.previousSecretExpiresAt).toBeUndefined();
    await crmCustomer(auth, 'After the overlap');
    await eventually('the second delivery', async () => (receiver.received.length === 2 ? true : undefined));
    const after = receiver.received[1]!;
    expect(new Webhook(ended.body.secret).verify(after.raw, after.headers)).toBeDefined();
    expect(() => new Webhook(rotated.body.secret).verify(after.raw, after.headers)).toThrow();
    expect(() => new Webhook(oldSecret).verify(after.raw, after.headers)).toThrow();
  });

  it('signs TMF hub notifications when the registration has a secret, and unregisters a listener that answers 410', async () => {
    const auth = token({ tenant: newTenant('hub') });
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const signed = await listen();
    const goneListener = await listen((_req, res) => res.writeHead(410).end());
    const registered = await http('POST', `${TMF}/hub`, { token: auth, body: { callback: signed.url, secret } });
    expect(registered.status).toBe(201);
    expect(registered.body.secret).toBeUndefined();
    const goneHub = await http('POST', `${TMF_V5}/hub`, { token: auth, body: { '@type': 'Hub', callback: goneListener.url } });
    await http('POST', `${TMF}/customer`, { token: auth, body: { name: 'Signed', engagedParty: { '@referredType': 'Organization', id: '501' } } });
    await eventually('the signed notification', async () => (signed.received.length === 1 ? true : undefined));
    const [note] = signed.received;
    expect(new Webhook(secret).verify(note!.raw, note!.headers)).toMatchObject({ eventType: 'CustomerCreateEvent' });
    expect(note!.headers['webhook-id']).toBe(note!.body.eventId);
    await eventually('the 410 listener unregistered', async () =>
      (await http('GET', `${TMF_V5}/hub/${goneHub.body.id}`, { token: auth })).status === 404 ? true : undefined,
    );
    expect((await http('POST', `${TMF}/hub`, { token: auth, body: { callback: signed.url, secret: 'whsec_short' } })).status).toBe(400);
  });

  it('refuses bad input with a 4xx in the /api/v1 error body and changes nothing', async () => {
    const tenant = newTenant('input');
    const auth = token({ tenant });
    const url = 'https://hooks.example.com/rapport';
    const refusals: [string, string, unknown][] = [
      ['POST', WEBHOOKS, { url: 'http://hooks.example.com/rapport', eventTypes: ['*'] }],
      ['POST', WEBHOOKS, { url: 'https://10.0.0.8/hook', eventTypes: ['*'] }],
      ['POST', WEBHOOKS, { url: 'https://169.254.169.254/latest', eventTypes: ['*'] }],
      ['POST', WEBHOOKS, { url, eventTypes: ['NoSuchEvent'] }],
      ['POST', WEBHOOKS, { url, eventTypes: [] }],
      ['POST', WEBHOOKS, { url, eventTypes: ['*'], secret: 'not-a-secret' }],
      ['POST', WEBHOOKS, { url, eventTypes: ['*'], extra: true }],
      ['POST', WEBHOOKS, { url: `https://h.example.com/${'x'.repeat(3000)}`, eventTypes: ['*'] }],
    ];
    for (const [method, path, body] of refusals) {
      const answer = await http(method, path, { token: auth, body });
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(isFamilyError('webhooks', 400, answer.body)).toBe(true);
    }
    for (const query of ['after=not-a-position', 'types=NoSuchEvent', 'limit=0', 'limit=101', 'unknown=1'])
      expect((await http('GET', `/api/v1/events?${query}`, { token: auth })).status, query).toBe(400);
    // Managing webhooks takes the write scope.
    const reader = token({ tenant, scopes: ['rapport/read'] });
    expect((await http('POST', WEBHOOKS, { token: reader, body: { url, eventTypes: ['*'] } })).status).toBe(403);
    expect((await http('GET', WEBHOOKS, { token: auth })).body).toEqual([]);
    expect((await http('GET', `${WEBHOOKS}/nope`, { token: auth })).status).toBe(404);
  });
});
