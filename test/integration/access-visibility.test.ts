/**
 * Who may see and change what (issue 25), through the real handlers and the authorizer's own
 * decision code (Cedar) against DynamoDB Local: a bank with a region (north) over two branches, a
 * rep, a manager given their role through their team, a support agent, an auditor named by the
 * token's groups; customers owned, in teams, shared. Every family answers an invisible customer as
 * it answers another tenant's (404), lists show only what the caller may see, and hidden fields
 * are absent everywhere.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.ACCESS_CACHE_SECONDS = '0';
  process.env.FIELDS_CACHE_SECONDS = '0';
});

import { uniqueTenant, type CallOptions } from '../../lib/local/direct-call.ts';
import { newBookkeeping } from '../../functions/storage/table/bookkeeping.ts';
import { writeAccessEntry, type AccessEntries, type AccessKind } from '../../functions/storage/access/access-config.ts';
import { send } from '../support/send.ts';

const tenant = uniqueTenant();

/** Stores an access entry as the admin API would (no events: the API's own tests cover those). */
const put = <K extends AccessKind>(kind: K, id: string, entry: AccessEntries[K]) =>
  writeAccessEntry(tenant, kind, id, undefined, { ...entry, ...newBookkeeping('admin'), tenantId: tenant } as never, []);

const as = (sub: string, extra: Partial<CallOptions> = {}, groups: string[] = []): CallOptions => ({
  claims: { sub, tenant, scope: 'rapport/read rapport/write', ...(groups.length > 0 ? { 'cognito:groups': groups } : {}) },
  decide: true,
  ...extra,
});

const ids: Record<string, string> = {};

beforeAll(async () => {
  await put('team', 'north', { id: 'north', name: 'North', roles: ['manager'] });
  await put('team', 'b12', { id: 'b12', name: 'Branch 12', parentId: 'north', roles: [] });
  await put('team', 'b13', { id: 'b13', name: 'Branch 13', parentId: 'north', roles: [] });
  await put('user', 'rep', { id: 'rep', teams: ['b12'], roles: ['rep'] });
  await put('user', 'boss', { id: 'boss', teams: ['north'], roles: [] });
  await put('user', 'helpdesk', { id: 'helpdesk', teams: [], roles: ['support'] });
  // The customers, made by a caller with every right (an admin: no access entry names them).
  const make = async (name: string, body: Record<string, unknown>) => {
    const made = await send('createCrmCustomer', { sub: 'admin', tenant, body: { name, type: 'PERSON', email: `${name}@example.com`, ...body } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    ids[name] = made.body.id;
  };
  await make('own', { ownerId: 'rep', teamId: 'b12' });
  await make('teammate', { ownerId: 'someone', teamId: 'b12' });
  await make('other-branch', { teamId: 'b13' });
  await make('shared', {});
  await make('nowhere', {});
  const shared = await send('shareCrmCustomer', { sub: 'admin', tenant, params: { id: ids.shared!, grantee: 'user:rep' }, body: { access: 'read' } });
  expect(shared.status, JSON.stringify(shared.body)).toBe(200);
});

const names = (body: { name: string }[]) => body.map((c) => c.name).sort();

describe('record visibility', () => {
  it('a rep reads their team’s customers and those shared with them, and nothing else exists for them, in every family', async () => {
    for (const name of ['own', 'teammate', 'shared']) {
      expect((await send('getCrmCustomer', as('rep', { params: { id: ids[name]! } }))).status, name).toBe(200);
      expect((await send('retrieveCustomer', as('rep', { params: { id: ids[name]! } }))).status, name).toBe(200);
      expect((await send('retrieveCustomerV5', as('rep', { params: { id: ids[name]! } }))).status, name).toBe(200);
    }
    for (const name of ['other-branch', 'nowhere']) {
      const crm = await send('getCrmCustomer', as('rep', { params: { id: ids[name]! } }));
      const unknown = await send('getCrmCustomer', as('rep', { params: { id: 'no-such-customer' } }));
      expect(crm.status, name).toBe(404);
      expect(crm.body.detail.replace(ids[name]!, 'X')).toBe(unknown.body.detail.replace('no-such-customer', 'X'));
      expect((await send('retrieveCustomerV3', as('rep', { params: { id: ids[name]! } }))).status, name).toBe(404);
      expect((await send('listActivities', as('rep', { params: { id: ids[name]! }, query: {} }))).status, name).toBe(404);
      expect((await send('exportCrmCustomer', as('rep', { params: { id: ids[name]! }, query: {} }))).status, name).toBe(404);
      expect((await send('listCrmCustomerShares', as('rep', { params: { id: ids[name]! } }))).status, name).toBe(404);
    }
  });

  it('lists show a rep only what they may see, with no total that would say more', async () => {
    const crm = await send('listCrmCustomers', as('rep', { query: {} }));
    expect(crm.status).toBe(200);
    expect(names(crm.body)).toEqual(['own', 'shared', 'teammate']);
    const tmf = await send('listCustomer', as('rep', { query: {} }));
    expect(names(tmf.body)).toEqual(['own', 'shared', 'teammate']);
    expect(tmf.headers['x-total-count']).toBeUndefined();
    const admin = await send('listCustomer', { sub: 'admin', tenant, query: {} });
    expect(admin.headers['x-total-count']).toBe('5');
    const byStatus = await send('listCrmCustomersByStatus', as('rep', { params: { status: 'LEAD' }, query: {} }));
    expect(names(byStatus.body)).toEqual(['own', 'shared', 'teammate']);
    const mine = await send('listMyCrmCustomers', as('rep', { query: {} }));
    expect(names(mine.body)).toEqual(['own']);
    // Paging a page of one at a time reaches each once.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await send('listCrmCustomers', as('rep', { query: { limit: '1', ...(cursor ? { cursor } : {}) } }));
      seen.push(...page.body.map((c: { name: string }) => c.name));
      cursor = page.headers['x-next-cursor'];
    } while (cursor);
    expect(seen).toEqual(['own', 'shared', 'teammate']);
  });

  it('a rep changes their own customers, is refused (403) on a teammate’s they may only read, and cannot reach another branch’s', async () => {
    expect((await send('updateCrmCustomer', as('rep', { params: { id: ids.own! }, body: { industry: 'banking' } }))).status).toBe(200);
    const refused = await send('updateCrmCustomer', as('rep', { params: { id: ids.teammate! }, body: { industry: 'banking' } }));
    expect(refused.status).toBe(403);
    expect((await send('patchCustomer', as('rep', { params: { id: ids.teammate! }, body: { status: 'x' } }))).status).toBe(403);
    expect((await send('updateCrmCustomer', as('rep', { params: { id: ids['other-branch']! }, body: { industry: 'x' } }))).status).toBe(404);
    expect((await send('addCrmTag', as('rep', { params: { id: ids['other-branch']!, tag: 'vip' } }))).status).toBe(404);
    expect((await send('deleteCrmCustomer', as('rep', { params: { id: ids.teammate! } }))).status).toBe(403);
    const after = await send('getCrmCustomer', { sub: 'admin', tenant, params: { id: ids.teammate! } });
    expect(after.body.industry).toBeUndefined();
    expect(after.body.tags).toEqual([]);
  });

  it('a rep’s new customer is theirs and in their team; one they could not change is refused', async () => {
    const made = await send('createCrmCustomer', as('rep', { body: { name: 'fresh', type: 'PERSON' } }));
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ ownerId: 'rep', teamId: 'b12' });
    const elsewhere = await send('createCrmCustomer', as('rep', { body: { name: 'theirs', type: 'PERSON', ownerId: 'someone', teamId: 'b13' } }));
    expect(elsewhere.status).toBe(403);
  });

  it('a manager given the role through a team above reaches every team under it; the team role needs no entry of its own', async () => {
    const list = await send('listCrmCustomers', as('boss', { query: {} }));
    expect(names(list.body)).toEqual(expect.arrayContaining(['other-branch', 'own', 'teammate']));
    expect(names(list.body)).not.toContain('nowhere');
    expect((await send('updateCrmCustomer', as('boss', { params: { id: ids['other-branch']! }, body: { industry: 'retail' } }))).status).toBe(200);
  });

  it('roles named by the token’s groups count: an auditor reads everything and changes nothing', async () => {
    const list = await send('listCrmCustomers', as('outsider', { query: {} }, ['auditor']));
    expect(names(list.body)).toEqual(expect.arrayContaining(['nowhere', 'other-branch', 'own', 'shared', 'teammate']));
    expect((await send('updateCrmCustomer', as('outsider', { params: { id: ids.nowhere! }, body: { industry: 'x' } }, ['auditor']))).status).toBe(403);
  });

  it('a caller nothing gives a role has the tenant’s default role (admin until the tenant names another)', async () => {
    const list = await send('listCustomer', as('newcomer', { query: {} }));
    expect(list.headers['x-total-count']).toBeDefined();
  });
});

describe('the tenant’s events as they are', () => {
  it('the event feed, webhooks and TMF hub listeners are for callers who read every customer and every field', async () => {
    expect((await send('listEvents', as('rep', { query: {} }))).status).toBe(403);
    expect((await send('listEvents', as('helpdesk', { query: {} }))).status).toBe(403);
    expect((await send('createWebhook', as('rep', { body: { url: 'https://hooks.example.com/x', eventTypes: ['*'] } }))).status).toBe(403);
    expect((await send('registerListenerV5', as('boss', { body: { callback: 'https://listener.example.com/x' } }))).status).toBe(403);
    expect((await send('listEvents', as('outsider', { query: {} }, ['auditor']))).status).toBe(200);
  });
});

describe('field-level security', () => {
  it('support sees how to reach a customer, not its sensitive fields, and may change nothing', async () => {
    await send('createField', {
      sub: 'admin',
      tenant,
      params: { object: 'customer' },
      body: { key: 'national_id', label: 'National id', type: 'string', sensitive: true },
    });
    const id = ids.nowhere!;
    const set = await send('updateCrmCustomer', { sub: 'admin', tenant, params: { id }, body: { customFields: { national_id: 'NL-123' } } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const seen = await send('getCrmCustomer', as('helpdesk', { params: { id } }));
    expect(seen.status).toBe(200);
    expect(seen.body.email).toBe('nowhere@example.com');
    expect(seen.body.customFields.national_id).toBeUndefined();
    expect(JSON.stringify(seen.body)).not.toContain('NL-123');
    const tmf = await send('retrieveCustomerV5', as('helpdesk', { params: { id } }));
    expect(JSON.stringify(tmf.body)).not.toContain('NL-123');
    expect(JSON.stringify(tmf.body)).toContain('nowhere@example.com');
    const list = await send('listCustomer', as('helpdesk', { query: {} }));
    expect(JSON.stringify(list.body)).not.toContain('NL-123');
    const exported = await send('exportCrmCustomer', as('helpdesk', { params: { id }, query: {} }));
    expect(exported.status).toBe(200);
    expect(JSON.stringify(exported.body)).not.toContain('NL-123');
    expect(exported.body.withheld).toEqual(['birthDate', 'identifiers', 'sensitive']);
    expect(exported.body.customer.crm.email).toBe('nowhere@example.com');
    expect(exported.body.events.length).toBeGreaterThan(0);
    expect(exported.body.events.every((e: { dataWithheld?: boolean; data?: unknown }) => e.dataWithheld === true && e.data === undefined)).toBe(true);
    const full = await send('exportCrmCustomer', { sub: 'admin', tenant, params: { id }, query: {} });
    expect(JSON.stringify(full.body)).toContain('NL-123');
  });

  it('a rep may not write a sensitive field (403 naming it), and a change they may make keeps what they cannot see', async () => {
    const id = ids.own!;
    await send('updateCrmCustomer', { sub: 'admin', tenant, params: { id }, body: { customFields: { national_id: 'NL-999' } } });
    const refused = await send('updateCrmCustomer', as('rep', { params: { id }, body: { customFields: { national_id: 'NL-1' } } }));
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('sensitive');
    // A TMF PUT of what the rep sees (no national id among the characteristics) keeps the hidden value.
    const shown = await send('retrieveCustomer', as('rep', { params: { id } }));
    expect(JSON.stringify(shown.body)).not.toContain('NL-999');
    const { id: _id, href: _href, ...attributes } = shown.body;
    const replaced = await send('replaceCustomer', as('rep', { params: { id }, body: { ...attributes, name: 'own' } }));
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    const stored = await send('getCrmCustomer', { sub: 'admin', tenant, params: { id } });
    expect(stored.body.customFields.national_id).toBe('NL-999');
  });
});
