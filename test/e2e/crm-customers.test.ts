import { describe, expect, it } from 'vitest';
import { SCOPES } from '../../functions/http/operation.ts';
import { uniqueTenant } from '../../lib/local/direct-call.ts';
import { http, TMF, token } from '../support/http.ts';
import { tmfSchemaErrors } from '../support/tmf-schema.ts';
import { eventSchemaErrors } from '../support/event-schema.ts';

const CRM = '/api/v1/crm/customers';
const tenantToken = (tenant: string, extra: Parameters<typeof token>[0] = {}) => token({ tenant, sub: 'rep-1', ...extra });
const acme = { name: 'Acme BV', type: 'ORGANIZATION', email: 'info@acme.example', phone: '+31 20 123 4567', kvk: '12345678' };

const busEvents = async (tenant: string) =>
  (
    (await http('GET', '/_local/events', { token: null })).body as {
      source: string;
      'detail-type': string;
      detail: { tenantId: string; data: Record<string, unknown> };
    }[]
  ).filter((e) => e.detail.tenantId === tenant && e.source === 'rapport.crm');

describe('CRM customers over HTTP', () => {
  it('creates a customer (201, Location, ETag, LEAD), refuses bad input with the seed’s error body, and replays an Idempotency-Key', async () => {
    const tenant = uniqueTenant();
    const auth = tenantToken(tenant);
    const created = await http('POST', CRM, { token: auth, body: { ...acme, tags: ['vip', 'vip', 'b2b'] }, headers: { 'idempotency-key': 'k1' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toMatch(new RegExp(`${CRM}/${created.body.id}$`));
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({ ...acme, tenantId: tenant, crmStatus: 'LEAD', tags: ['b2b', 'vip'], createdBy: 'rep-1', updatedBy: 'rep-1' });
    const replay = await http('POST', CRM, { token: auth, body: { ...acme, tags: ['vip', 'vip', 'b2b'] }, headers: { 'idempotency-key': 'k1' } });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(created.body);
    const reused = await http('POST', CRM, { token: auth, body: { ...acme, name: 'Other' }, headers: { 'idempotency-key': 'k1' } });
    expect(reused.status).toBe(422);
    expect(reused.body).toEqual({ title: 'Unprocessable Entity', detail: expect.stringMatching(/Idempotency-Key/), time: expect.any(String) });

    for (const [body, detail] of [
      [{ name: 'X' }, /type is required/],
      [{ ...acme, email: 'not-an-email' }, /email must be a valid email/],
      [{ ...acme, tenantId: 'other' }, /unknown field 'tenantId'/],
      [{ ...acme, crmStatus: 'HOT' }, /crmStatus must be one of/],
    ] as const) {
      const answer = await http('POST', CRM, { token: auth, body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.detail).toMatch(detail);
      expect(Object.keys(answer.body).sort()).toEqual(['detail', 'time', 'title']);
    }
    expect((await http('POST', CRM, { token: null, body: acme })).status).toBe(401);
    expect((await http('POST', CRM, { token: tenantToken(tenant, { scopes: [SCOPES.read] }), body: acme })).status).toBe(403);
    const list = await http('GET', CRM, { token: auth });
    expect(list.body.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
    expect((await busEvents(tenant)).map((e) => e['detail-type'])).toEqual(['CustomerCreated']);
  });

  it('is one customer behind both views: CRM fields map to TMF629 and back', async () => {
    const tenant = uniqueTenant();
    const auth = tenantToken(tenant);
    const { body: crm } = await http('POST', CRM, {
      token: auth,
      body: {
        name: 'Jan Jansen',
        type: 'PERSON',
        email: 'jan@example.nl',
        billingAddress: { street: 'Dam', houseNumber: '1', postalCode: '1012 JS', city: 'Amsterdam', country: 'NL' },
      },
    });
    const tmf = await http('GET', `${TMF}/customer/${crm.id}`, { token: auth });
    expect(tmf.status).toBe(200);
    expect(tmfSchemaErrors('Customer', tmf.body)).toEqual([]);
    expect(tmf.body.engagedParty).toEqual({ id: crm.id, '@referredType': 'Individual' });
    expect(tmf.body.contactMedium).toEqual(
      expect.arrayContaining([
        { mediumType: 'Email', preferred: true, characteristic: { emailAddress: 'jan@example.nl' } },
        {
          mediumType: 'MailingAddress',
          characteristic: { contactType: 'billing', street1: 'Dam', street2: '1', postCode: '1012 JS', city: 'Amsterdam', country: 'NL' },
        },
      ]),
    );
    // TMF status and crmStatus are separate fields.
    await http('PATCH', `${TMF}/customer/${crm.id}`, {
      token: auth,
      body: { status: 'Approved', contactMedium: [...tmf.body.contactMedium, { mediumType: 'Phone', characteristic: { phoneNumber: '+31 6 1234 5678' } }] },
    });
    const after = await http('GET', `${CRM}/${crm.id}`, { token: auth });
    expect(after.body).toMatchObject({
      type: 'PERSON',
      email: 'jan@example.nl',
      phone: '+31 6 1234 5678',
      crmStatus: 'LEAD',
      billingAddress: { street: 'Dam', city: 'Amsterdam' },
    });
    expect(after.body).not.toHaveProperty('status');

    const fromTmf = await http('POST', `${TMF}/customer`, {
      token: auth,
      body: {
        name: 'Orbit Ltd',
        engagedParty: { id: 'p-9', '@referredType': 'Organization' },
        contactMedium: [{ mediumType: 'Email', characteristic: { emailAddress: 'hello@orbit.example' } }],
      },
    });
    const seenHere = await http('GET', `${CRM}/${fromTmf.body.id}`, { token: auth });
    expect(seenHere.body).toMatchObject({ name: 'Orbit Ltd', type: 'ORGANIZATION', email: 'hello@orbit.example', crmStatus: 'LEAD', tags: [] });

    const patched = await http('PATCH', `${CRM}/${fromTmf.body.id}`, { token: auth, body: { email: null, type: 'PERSON', website: 'https://orbit.example' } });
    expect(patched.status).toBe(200);
    expect(patched.body).not.toHaveProperty('email');
    const tmfAgain = await http('GET', `${TMF}/customer/${fromTmf.body.id}`, { token: auth });
    expect(tmfAgain.body.engagedParty).toEqual({ id: 'p-9', '@referredType': 'Individual' });
    expect(tmfAgain.body).not.toHaveProperty('contactMedium');
    expect(tmfAgain.body).not.toHaveProperty('website');
    const stale = await http('PATCH', `${CRM}/${fromTmf.body.id}`, { token: auth, body: { industry: 'Space' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
  });

  it('moves crmStatus along the transition table: 409 names the allowed targets, 400 for unknown, events with from and to', async () => {
    const tenant = uniqueTenant();
    const auth = tenantToken(tenant);
    const { body: c } = await http('POST', CRM, { token: auth, body: acme });
    const moved = await http('PATCH', `${CRM}/${c.id}/crm-status`, { token: auth, body: { crmStatus: 'PROSPECT' } });
    expect(moved.status).toBe(200);
    expect(moved.body.crmStatus).toBe('PROSPECT');
    const same = await http('PATCH', `${CRM}/${c.id}/crm-status`, { token: auth, body: { crmStatus: 'PROSPECT' } });
    expect(same.headers.get('etag')).toBe(moved.headers.get('etag'));
    await http('PATCH', `${CRM}/${c.id}/crm-status`, { token: auth, body: { crmStatus: 'CHURNED' } });
    const refused = await http('PATCH', `${CRM}/${c.id}/crm-status`, { token: auth, body: { crmStatus: 'CUSTOMER' } });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe('crmStatus cannot move from CHURNED to CUSTOMER; allowed from CHURNED: LEAD.');
    expect((await http('PATCH', `${CRM}/${c.id}/crm-status`, { token: auth, body: { crmStatus: 'HOT' } })).status).toBe(400);
    expect((await http('PATCH', `${CRM}/nope/crm-status`, { token: auth, body: { crmStatus: 'LEAD' } })).status).toBe(404);
    expect((await http('PATCH', `${CRM}/${c.id}/crm-status`, { token: auth, body: { crmStatus: 'LEAD' }, headers: { 'if-match': '"1"' } })).status).toBe(412);
    for (const event of await busEvents(tenant)) expect(eventSchemaErrors(event.source, event['detail-type'], event.detail)).toEqual([]);
    const changes = (await busEvents(tenant)).filter((e) => e['detail-type'] === 'CrmStatusChanged').map((e) => [e.detail.data.from, e.detail.data.to]);
    expect(changes).toEqual([
      ['LEAD', 'PROSPECT'],
      ['PROSPECT', 'CHURNED'],
    ]);
    const byStatus = await http('GET', `${CRM}/by-status/CHURNED`, { token: auth });
    expect(byStatus.body.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect((await http('GET', `${CRM}/by-status/LEAD`, { token: auth })).body).toEqual([]);
    expect((await http('GET', `${CRM}/by-status/HOT`, { token: auth })).status).toBe(400);
  });

  it('assigns and removes owners; lists by owner and the caller’s own customers; the enriched view resolves the owner from the directory', async () => {
    const tenant = uniqueTenant();
    const ann = tenantToken(tenant, { sub: 'ann', name: 'Ann de Vries', preferredUsername: 'ann' });
    const { body: a } = await http('POST', CRM, { token: ann, body: { ...acme, name: 'Alpha' } });
    const { body: b } = await http('POST', CRM, { token: ann, body: { ...acme, name: 'Beta' } });
    expect((await http('PATCH', `${CRM}/${a.id}/owner/ann`, { token: ann })).body.ownerId).toBe('ann');
    await http('PATCH', `${CRM}/${b.id}/owner/ann`, { token: ann });
    const mine = await http('GET', `${CRM}/my`, { token: ann });
    expect(mine.body.map((c: { name: string }) => c.name)).toEqual(['Alpha', 'Beta']);
    const byOwner = await http('GET', `${CRM}/by-owner/ann?limit=1`, { token: ann });
    expect(byOwner.body.map((c: { name: string }) => c.name)).toEqual(['Alpha']);
    const next = await http('GET', `${CRM}/by-owner/ann?limit=1&cursor=${byOwner.headers.get('x-next-cursor')}`, { token: ann });
    expect(next.body.map((c: { name: string }) => c.name)).toEqual(['Beta']);
    expect((await http('GET', `${CRM}/by-owner/ann?cursor=garbage`, { token: ann })).status).toBe(400);
    const foreignCursor = Buffer.from(JSON.stringify({ pk: 'T#someone-else#CUSTOMER#x', sk: 'CUSTOMER' })).toString('base64url');
    expect((await http('GET', `${CRM}/by-owner/ann?cursor=${foreignCursor}`, { token: ann })).status).toBe(400);

    const enriched = await http('GET', `${CRM}/${a.id}`, { token: ann });
    expect(enriched.body.owner).toEqual({ id: 'ann', username: 'ann', displayName: 'Ann de Vries' });
    await http('PATCH', `${CRM}/${a.id}/owner/ghost`, { token: ann });
    expect((await http('GET', `${CRM}/${a.id}`, { token: ann })).body.owner).toEqual({ id: 'ghost' });
    const removed = await http('DELETE', `${CRM}/${a.id}/owner`, { token: ann });
    expect(removed.status).toBe(200);
    expect(removed.body).not.toHaveProperty('ownerId');
    expect((await http('DELETE', `${CRM}/${a.id}/owner`, { token: ann })).headers.get('etag')).toBe(removed.headers.get('etag'));
    expect((await http('GET', `${CRM}/my`, { token: ann })).body.map((c: { name: string }) => c.name)).toEqual(['Beta']);
    const timeline = (await http('GET', `${CRM}/${a.id}`, { token: ann })).body.events.map((e: { type: string }) => e.type);
    expect(timeline).toEqual(['CREATE', 'OWNER_ASSIGNED', 'OWNER_ASSIGNED', 'OWNER_REMOVED']);
  });

  it('sets and clears the next action; overdue-actions lists a date already past at once, earliest first', async () => {
    const tenant = uniqueTenant();
    const auth = tenantToken(tenant);
    const ids: string[] = [];
    for (const [name, due] of [
      ['Late', '2026-01-02T09:00:00Z'],
      ['Later', '2026-01-05T09:00:00Z'],
      ['Latest', '2026-01-01T09:00:00Z'],
      ['Future', '2999-01-01T00:00:00Z'],
    ] as const) {
      const { body } = await http('POST', CRM, { token: auth, body: { ...acme, name } });
      const set = await http('PATCH', `${CRM}/${body.id}/next-action`, { token: auth, body: { nextAction: `Call ${name}`, nextActionDueDate: due } });
      expect(set.body).toMatchObject({ nextAction: `Call ${name}`, nextActionDueDate: due });
      ids.push(body.id);
    }
    // Overdue the moment a past date is written (flagged by the write, with its CustomerNextActionOverdue event); a sweep adds nothing.
    const overdue = await http('GET', `${CRM}/overdue-actions`, { token: auth });
    expect(overdue.body.map((c: { name: string }) => c.name)).toEqual(['Latest', 'Late', 'Later']);
    expect((await http('POST', '/_local/schedules/due-sweep', { token: null })).status).toBe(200);
    expect((await http('GET', `${CRM}/overdue-actions`, { token: auth })).body).toEqual(overdue.body);
    const cleared = await http('PATCH', `${CRM}/${ids[0]}/next-action`, { token: auth, body: { nextActionDueDate: null } });
    expect(cleared.body.nextAction).toBe('Call Late');
    expect(cleared.body).not.toHaveProperty('nextActionDueDate');
    expect((await http('GET', `${CRM}/overdue-actions`, { token: auth })).body.map((c: { name: string }) => c.name)).toEqual(['Latest', 'Later']);
    expect((await http('PATCH', `${CRM}/${ids[1]}/next-action`, { token: auth, body: { nextActionDueDate: 'tomorrow' } })).status).toBe(400);
  });

  it('treats tags as a set, and 20 concurrent tag additions all survive', async () => {
    const tenant = uniqueTenant();
    const auth = tenantToken(tenant);
    const { body: c } = await http('POST', CRM, { token: auth, body: acme });
    const added = await http('POST', `${CRM}/${c.id}/tags/vip`, { token: auth });
    expect(added.body.tags).toEqual(['vip']);
    const again = await http('POST', `${CRM}/${c.id}/tags/vip`, { token: auth });
    expect(again.headers.get('etag')).toBe(added.headers.get('etag'));
    const gone = await http('DELETE', `${CRM}/${c.id}/tags/absent`, { token: auth });
    expect(gone.headers.get('etag')).toBe(added.headers.get('etag'));
    expect((await http('POST', `${CRM}/${c.id}/tags/${encodeURIComponent('two words')}`, { token: auth })).status).toBe(400);
    expect((await http('POST', `${CRM}/unknown/tags/vip`, { token: auth })).status).toBe(404);

    const tags = Array.from({ length: 20 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    const answers = await Promise.all(tags.map((tag) => http('POST', `${CRM}/${c.id}/tags/${tag}`, { token: auth })));
    expect(answers.map((a) => a.status)).toEqual(tags.map(() => 200));
    const final = await http('GET', `${CRM}/${c.id}`, { token: auth });
    expect(final.body.tags).toEqual([...tags, 'vip']);
    const tagEvents = (await busEvents(tenant)).filter((e) => e['detail-type'] === 'TagAdded');
    expect(tagEvents).toHaveLength(21);
    expect((await http('DELETE', `${CRM}/${c.id}/tags/vip`, { token: auth })).body.tags).toEqual(tags);
    const byTag = await http('GET', `${CRM}?tag=t07`, { token: auth });
    expect(byTag.body.map((x: { id: string }) => x.id)).toEqual([c.id]);
  });

  it('lists with status, owner, tag and a name prefix, and never shows another tenant', async () => {
    const tenant = uniqueTenant();
    const auth = tenantToken(tenant);
    for (const name of ['Bakker', 'Bakkerij Jansen', 'Visser', 'bakfiets']) await http('POST', CRM, { token: auth, body: { ...acme, name } });
    const prefix = await http('GET', `${CRM}?q=bak`, { token: auth });
    expect(prefix.body.map((c: { name: string }) => c.name)).toEqual(['bakfiets', 'Bakker', 'Bakkerij Jansen']);
    const { body: v } = await http('GET', `${CRM}?q=Visser`, { token: auth });
    await http('PATCH', `${CRM}/${v[0].id}/owner/rep-9`, { token: auth });
    await http('PATCH', `${CRM}/${v[0].id}/crm-status`, { token: auth, body: { crmStatus: 'ACTIVE' } });
    expect((await http('GET', `${CRM}?ownerId=rep-9&status=ACTIVE`, { token: auth })).body.map((c: { name: string }) => c.name)).toEqual(['Visser']);
    expect((await http('GET', `${CRM}?ownerId=rep-9&status=LEAD`, { token: auth })).body).toEqual([]);
    expect((await http('GET', `${CRM}?status=LEAD&q=bakk`, { token: auth })).body.map((c: { name: string }) => c.name)).toEqual(['Bakker', 'Bakkerij Jansen']);
    expect((await http('GET', `${CRM}?colour=red`, { token: auth })).status).toBe(400);
    expect((await http('GET', `${CRM}?limit=0`, { token: auth })).status).toBe(400);
    const other = tenantToken(uniqueTenant());
    expect((await http('GET', `${CRM}?q=bak`, { token: other })).body).toEqual([]);
    expect((await http('GET', `${CRM}/${v[0].id}`, { token: other })).status).toBe(404);
    expect((await http('PATCH', `${CRM}/${v[0].id}/crm-status`, { token: other, body: { crmStatus: 'LEAD' } })).status).toBe(404);
  });

  it('keeps activities and opportunities with the customer: create, list newest first, update, complete, status moves', async () => {
    const tenant = uniqueTenant();
    const auth = tenantToken(tenant);
    const { body: c } = await http('POST', CRM, { token: auth, body: acme });
    const call = await http('POST', `${CRM}/${c.id}/activities`, {
      token: auth,
      body: { type: 'CALL', subject: 'Intro call', dueDate: '2026-12-01T10:00:00Z', priority: 'HIGH' },
    });
    expect(call.status).toBe(201);
    expect(call.body).toMatchObject({ customerId: c.id, type: 'CALL', subject: 'Intro call', completed: false, ownerId: 'rep-1', priority: 'HIGH' });
    expect(call.headers.get('location')).toMatch(new RegExp(`/activities/${call.body.id}$`));
    const note = await http('POST', `${CRM}/${c.id}/activities`, { token: auth, body: { type: 'NOTE', subject: 'Likes blue' } });
    expect((await http('POST', `${CRM}/missing/activities`, { token: auth, body: { type: 'NOTE', subject: 'x' } })).status).toBe(404);
    expect((await http('POST', `${CRM}/${c.id}/activities`, { token: auth, body: { type: 'FAX', subject: 'x' } })).status).toBe(400);
    const list = await http('GET', `${CRM}/${c.id}/activities`, { token: auth });
    expect(list.body.map((a: { id: string }) => a.id)).toEqual([note.body.id, call.body.id]);
    expect((await http('GET', `${CRM}/missing/activities`, { token: auth })).status).toBe(404);
    const updated = await http('PATCH', `${CRM}/${c.id}/activities/${call.body.id}`, {
      token: auth,
      body: { location: 'Teams', priority: null },
      headers: { 'if-match': '"1"' },
    });
    expect(updated.body).toMatchObject({ location: 'Teams' });
    expect(updated.body).not.toHaveProperty('priority');
    expect(
      (await http('PATCH', `${CRM}/${c.id}/activities/${call.body.id}`, { token: auth, body: { location: 'x' }, headers: { 'if-match': '"1"' } })).status,
    ).toBe(412);
    const done = await http('POST', `${CRM}/${c.id}/activities/${call.body.id}/complete`, { token: auth });
    expect(done.body).toMatchObject({ completed: true, completedAt: expect.any(String) });
    const doneAgain = await http('POST', `${CRM}/${c.id}/activities/${call.body.id}/complete`, { token: auth });
    expect(doneAgain.body.completedAt).toBe(done.body.completedAt);
    expect((await http('POST', `${CRM}/${c.id}/activities/nope/complete`, { token: auth })).status).toBe(404);

    const deal = await http('POST', `${CRM}/${c.id}/opportunities`, { token: auth, body: { name: 'Fleet renewal', value: 120000, probability: 30 } });
    expect(deal.status).toBe(201);
    expect(deal.body).toMatchObject({ status: 'NEW', ownerId: 'rep-1', value: 120000 });
    const skip = await http('PATCH', `${CRM}/${c.id}/opportunities/${deal.body.id}`, { token: auth, body: { status: 'WON' } });
    expect(skip.status).toBe(409);
    expect(skip.body.detail).toMatch(/allowed from NEW: QUALIFIED, LOST/);
    const qualified = await http('PATCH', `${CRM}/${c.id}/opportunities/${deal.body.id}`, { token: auth, body: { status: 'QUALIFIED', probability: 50 } });
    expect(qualified.body).toMatchObject({ status: 'QUALIFIED', probability: 50 });
    await http('PATCH', `${CRM}/${c.id}/opportunities/${deal.body.id}`, { token: auth, body: { status: 'LOST' } });
    expect((await http('PATCH', `${CRM}/${c.id}/opportunities/${deal.body.id}`, { token: auth, body: { status: 'NEW' } })).body.detail).toMatch(
      /none \(it is final\)/,
    );
    expect((await http('GET', `${CRM}/${c.id}/opportunities`, { token: auth })).body.map((o: { status: string }) => o.status)).toEqual(['LOST']);

    const enriched = await http('GET', `${CRM}/${c.id}`, { token: auth });
    expect(enriched.body.recentActivities.map((a: { id: string }) => a.id)).toEqual([note.body.id, call.body.id]);
    expect(enriched.body.opportunities.map((o: { id: string }) => o.id)).toEqual([deal.body.id]);
    expect(enriched.body.events.map((e: { type: string }) => e.type)).toEqual([
      'CREATE',
      'ACTIVITY',
      'ACTIVITY',
      'ACTIVITY',
      'ACTIVITY_COMPLETED',
      'OPPORTUNITY',
      'OPPORTUNITY',
      'OPPORTUNITY_STATUS_CHANGE',
      'OPPORTUNITY',
      'OPPORTUNITY_STATUS_CHANGE',
    ]);
    for (const entry of enriched.body.events)
      expect(entry).toEqual({ id: expect.any(String), type: expect.any(String), date: expect.any(String), authorId: 'rep-1', description: expect.any(String) });
    const published = await busEvents(tenant);
    expect(published.map((e) => e['detail-type'])).toEqual(
      expect.arrayContaining([
        'ActivityCreated',
        'ActivityUpdated',
        'ActivityCompleted',
        'OpportunityCreated',
        'OpportunityUpdated',
        'OpportunityStatusChanged',
      ]),
    );
    for (const event of published) expect(eventSchemaErrors(event.source, event['detail-type'], event.detail)).toEqual([]);
  });
});
