import { afterEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { eventually, http, startListener, TMF, TMF_V3, TMF_V5, token, type Listener } from '../support/http.ts';
import { tmfSchemaErrors, tmfSchemaErrorsOf } from '../support/tmf-schema.ts';

const moon = { name: 'Moon Football Club', engagedParty: { '@referredType': 'Organization', id: '500' } };
const listeners: Listener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((l) => l.close()));
});
const listen = async (...args: Parameters<typeof startListener>) => {
  const listener = await startListener(...args);
  listeners.push(listener);
  return listener;
};

describe('TMF629 hub: listeners on loopback', () => {
  it('registers (201 {id, callback, query}), delivers matching notifications, and unregisters (204, then 404)', async () => {
    const tenant = `hub-${Date.now()}`;
    const auth = token({ tenant });
    const all = await listen();
    const deletesOnly = await listen();
    const registered = await http('POST', `${TMF}/hub`, { token: auth, body: { callback: all.url } });
    expect(registered.status).toBe(201);
    expect(registered.body).toEqual({ id: expect.any(String), callback: all.url });
    expect(tmfSchemaErrors('EventSubscription', registered.body)).toEqual([]);
    const filtered = await http('POST', `${TMF}/hub`, { token: auth, body: { callback: deletesOnly.url, query: 'eventType=CustomerDeleteEvent' } });
    expect(filtered.body.query).toBe('eventType=CustomerDeleteEvent');

    const created = await http('POST', `${TMF}/customer`, { token: auth, body: moon });
    await http('DELETE', `${TMF}/customer/${created.body.id}`, { token: auth });
    await eventually('two notifications', async () => (all.received.length >= 2 ? true : undefined));
    await eventually('the delete notification', async () => (deletesOnly.received.length >= 1 ? true : undefined));
    await http('POST', '/_local/idle', { token: null });

    // Like EventBridge, delivery is not ordered: listeners order by eventTime.
    expect(all.received.map((n) => n.body.eventType).sort()).toEqual(['CustomerCreateEvent', 'CustomerDeleteEvent']);
    expect(deletesOnly.received.map((n) => n.body.eventType)).toEqual(['CustomerDeleteEvent']);
    const notification = all.received.find((n) => n.body.eventType === 'CustomerCreateEvent')!.body;
    expect(notification).toMatchObject({
      eventId: expect.any(String),
      eventTime: expect.any(String),
      event: { customer: { id: created.body.id, name: moon.name } },
    });
    expect(tmfSchemaErrors('CustomerCreateEvent', notification)).toEqual([]);

    // A registration carries ETag "1" (it never changes); a stale If-Match is 412 and deletes nothing.
    expect(registered.headers.get('etag')).toBe('"1"');
    const stale = await http('DELETE', `${TMF}/hub/${registered.body.id}`, { token: auth, headers: { 'if-match': '"999999"' } });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'PRECONDITION_FAILED', status: '412' });
    expect((await http('DELETE', `${TMF}/hub/${registered.body.id}`, { token: auth, headers: { 'if-match': '"1"' } })).status).toBe(204);
    expect((await http('DELETE', `${TMF}/hub/${registered.body.id}`, { token: auth })).status).toBe(404);
  });

  it('never lets a slow subscriber delay the others, and parks failed deliveries in the dead-letter queue', async () => {
    const tenant = `hub-slow-${Date.now()}`;
    const auth = token({ tenant });
    const held: ServerResponse[] = [];
    const slow = await listen((_req, res) => held.push(res));
    const fast = await listen();
    const dead = await listen((_req, res) => res.writeHead(500).end());
    for (const listener of [slow, fast, dead]) await http('POST', `${TMF}/hub`, { token: auth, body: { callback: listener.url } });

    const created = await http('POST', `${TMF}/customer`, { token: auth, body: moon });
    await eventually('the fast listener', async () => (fast.received.length === 1 ? true : undefined));
    // The fast listener has its notification while the slow one has not answered (its request may
    // still be on its way under load: wait for it, without answering).
    await eventually('the slow listener holding its request', async () => (held.length === 1 ? true : undefined));
    expect(fast.received.length).toBe(1);
    for (const res of held) res.writeHead(201).end();

    const parked = await eventually('a dead letter for the failing listener', async () => {
      const letters = (await http('GET', '/_local/dead-letters', { token: null })).body['rapport-notify-dlq'] as { body: string }[] | undefined;
      const mine = letters?.map((l) => JSON.parse(l.body)).find((l) => l.callback === dead.url);
      return mine;
    });
    expect(parked).toMatchObject({ error: 'HTTP 500', notification: { eventType: 'CustomerCreateEvent', event: { customer: { id: created.body.id } } } });
    expect(dead.received.length).toBe(3);
  });

  it('lets v3, v4 and v5 listeners hear what the CRM API changes, each in its generation’s format: creates, and changes of the customer’s TMF view, once each', async () => {
    const tenant = `hub-crm-${Date.now()}`;
    const auth = token({ tenant });
    const [v3, v4, v5] = [await listen(), await listen(), await listen()];
    expect((await http('POST', `${TMF_V3}/hub`, { token: auth, body: { callback: v3.url } })).status).toBe(201);
    expect((await http('POST', `${TMF}/hub`, { token: auth, body: { callback: v4.url } })).status).toBe(201);
    // v5 registered where TM Forum's v5 conformance kit points (customerManagement/v5); it is the same hub as customer/v5.
    const v5Hub = await http('POST', '/tmf-api/customerManagement/v5/hub', { token: auth, body: { '@type': 'Hub', callback: v5.url } });
    expect(v5Hub.status).toBe(201);
    expect(tmfSchemaErrorsOf('v5', 'Hub', v5Hub.body)).toEqual([]);
    expect((await http('GET', `${TMF_V5}/hub/${v5Hub.body.id}`, { token: auth })).body).toEqual(v5Hub.body);

    const created = await http('POST', '/api/v1/crm/customers', { token: auth, body: { name: 'Acme BV', type: 'ORGANIZATION' } });
    expect(created.status).toBe(201);
    await http('PATCH', `/api/v1/crm/customers/${created.body.id}`, { token: auth, body: { name: 'Acme Holding BV', email: 'hi@acme.example' } });
    // CRM-only changes (pipeline status, tags) do not change the TMF view: TMF listeners hear nothing of them.
    await http('PATCH', `/api/v1/crm/customers/${created.body.id}/crm-status`, { token: auth, body: { crmStatus: 'PROSPECT' } });
    await http('POST', `/api/v1/crm/customers/${created.body.id}/tags/vip`, { token: auth });
    for (const listener of [v3, v4, v5]) await eventually('the two notifications', async () => (listener.received.length >= 2 ? true : undefined));
    await http('POST', '/_local/idle', { token: null });
    const inOrder = (listener: Listener) => listener.received.map((n) => n.body).sort((a, b) => String(a.eventTime).localeCompare(String(b.eventTime)));
    const [heard3, heard4, heard5] = [inOrder(v3), inOrder(v4), inOrder(v5)];
    for (const heard of [heard3, heard4, heard5]) {
      expect(heard.map((n) => n.eventType)).toEqual(['CustomerCreateEvent', 'CustomerAttributeValueChangeEvent']);
      expect(heard.map((n) => n.eventId)).toEqual(heard4.map((n) => n.eventId));
    }
    expect(heard4[1]!.event.customer).toMatchObject({ id: created.body.id, name: 'Acme Holding BV' });
    expect(heard4[1]!.event.customer.contactMedium).toEqual(expect.arrayContaining([expect.objectContaining({ mediumType: 'Email' })]));
    for (const notification of heard4) expect(tmfSchemaErrors(notification.eventType, notification)).toEqual([]);
    expect(heard3[1]!.event.customer.href).toContain('/tmf-api/customerManagement/v3/customer/');
    expect(heard3[1]!.event.customer.contactMedium).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Email' })]));
    for (const notification of heard3) expect(tmfSchemaErrorsOf('v3', 'Customer', notification.event.customer)).toEqual([]);
    expect(heard5[1]!.event.customer.contactMedium).toEqual(
      expect.arrayContaining([expect.objectContaining({ '@type': 'EmailContactMedium', emailAddress: 'hi@acme.example' })]),
    );
    for (const notification of heard5) expect(tmfSchemaErrorsOf('v5', notification.eventType, notification)).toEqual([]);
  });

  it.each([
    ['https://169.254.169.254/latest/meta-data', /linkLocal/],
    ['https://10.0.0.8/hook', /private/],
    ['http://listener.example.com/hook', /https/],
    ['ftp://127.0.0.1/x', /http/],
  ])('refuses the callback %s with 400', async (callback, reason) => {
    const answer = await http('POST', `${TMF}/hub`, { body: { callback } });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(reason);
  });

  it('requires a callback and a known event type in the query', async () => {
    expect((await http('POST', `${TMF}/hub`, { body: {} })).status).toBe(400);
    const badQuery = await http('POST', `${TMF}/hub`, { body: { callback: 'https://listener.example.com/x', query: 'eventType=SomethingElse' } });
    expect(badQuery.status).toBe(400);
  });
});
