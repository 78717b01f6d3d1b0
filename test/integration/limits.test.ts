/**
 * Input at DynamoDB's own limits gets the family's 4xx and changes nothing (issue 13): path ids no
 * key can hold, names whose index key would pass 1,024 bytes, nesting past 32 levels, numbers
 * outside DynamoDB's range, items past 400 KB, forged and foreign cursors, tenants and subjects no
 * key can hold. Real handlers, real middleware, DynamoDB Local.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { operations } from '../../functions/catalog.ts';
import type { Operation } from '../../functions/http/operation.ts';
import { tmf629 } from '../../functions/tmf629/operations.ts';
import { crm } from '../../functions/crm/operations.ts';
import { bianCrm } from '../../functions/bian-crm/operations.ts';
import { call, uniqueTenant, type CallOptions } from '../../lib/local/direct-call.ts';
import { isFamilyError } from '../support/error-bodies.ts';
import { recordRequests } from '../../lib/local/request-recorder.ts';
import { transact } from '../../functions/storage/table/transactions.ts';
import { tableName } from '../../functions/storage/table/db.ts';

type Handler = Parameters<typeof call>[0];
const ROOT = join(import.meta.dirname, '..', '..');
const handlers = new Map<string, Handler>();
const handlerOf = async (op: Operation): Promise<Handler> => {
  if (!handlers.has(op.name)) handlers.set(op.name, ((await import(join(ROOT, op.handler))) as { handler: Handler }).handler);
  return handlers.get(op.name)!;
};
const run = async (op: Operation, options: CallOptions) => call(await handlerOf(op), op, options);

const nested = (depth: number): unknown => {
  let value: unknown = { leaf: true };
  for (let i = 0; i < depth; i++) value = { next: value };
  return value;
};
const TYPE = 'PERSON';
const engagedParty = { id: 'p-1', '@referredType': 'Individual' };

describe('input at DynamoDB’s limits', () => {
  it('answers 404 in the family’s body for a 5,000-character id on every operation with an id in its path', async () => {
    const tenant = uniqueTenant();
    let checked = 0;
    for (const op of operations.filter((o) => /\{\w*id\}/i.test(o.path))) {
      const params = Object.fromEntries([...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, /id$/i.test(name!) ? 'x'.repeat(5000) : 'LEAD']));
      const answer = await run(op, { tenant, params, body: op.request?.body ? {} : undefined });
      expect(answer.status, `${op.name}: ${JSON.stringify(answer.body)}`).toBe(404);
      expect(isFamilyError(op.family, 404, answer.body), `${op.name}: ${JSON.stringify(answer.body)}`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('refuses an id holding the key separator or a control character (404), which could otherwise address another key', async () => {
    const tenant = uniqueTenant();
    for (const id of ['a#CUSTOMER', 'line\nbreak', '']) {
      const answer = await run(tmf629.retrieveCustomer, { tenant, params: { id } });
      expect(answer.status, JSON.stringify(id)).toBe(404);
    }
  });

  it('lists no customer for an id filter no key can hold (a 5,000-character id, a separator) instead of asking DynamoDB for it', async () => {
    const tenant = uniqueTenant();
    const created = await run(tmf629.createCustomer, { tenant, body: { name: 'Filtered', engagedParty } });
    for (const id of ['x'.repeat(5000), 'a#CUSTOMER', `${String(created.body.id)},${'y'.repeat(3000)}`]) {
      const answer = await run(tmf629.listCustomer, { tenant, query: { id } });
      expect(answer.status, id.slice(0, 20)).toBe(200);
      expect((answer.body as { id: string }[]).map((c) => c.id)).toEqual(id.includes(',') ? [created.body.id] : []);
    }
  });

  it('refuses a name whose index key would pass 1,024 bytes (400 naming name), and stores one just under it', async () => {
    const tenant = uniqueTenant();
    const tmf = await run(tmf629.createCustomer, { tenant, body: { name: 'n'.repeat(990), engagedParty } });
    expect(tmf.status).toBe(400);
    expect(tmf.body.message).toMatch(/name is too long to store/);
    const emoji = await run(crm.createCrmCustomer, { tenant, body: { name: '😀'.repeat(250), type: TYPE } });
    expect(emoji.status).toBe(400);
    expect(emoji.body.detail).toMatch(/name is too long to store: .*1037 bytes/);
    const fits = await run(tmf629.createCustomer, { tenant, body: { name: 'n'.repeat(987), engagedParty } });
    expect(fits.status).toBe(201);
    const list = await run(tmf629.listCustomer, { tenant, query: {} });
    expect(list.body).toHaveLength(1);
  });

  it('refuses bodies nesting past 24 levels, numbers outside DynamoDB’s range and empty field names (400), in every family', async () => {
    const tenant = uniqueTenant();
    const deepTmf = await run(tmf629.createCustomer, { tenant, body: { name: 'Deep', engagedParty: { ...engagedParty, extra: nested(1000) } } });
    expect(deepTmf.status).toBe(400);
    expect(deepTmf.body.message).toMatch(/nests more than 24 levels/);
    const deepBian = await run(bianCrm.bianCrmCreate, { tenant, body: { CustomerInsightType: nested(40) } });
    expect(deepBian.status).toBe(400);
    expect(isFamilyError('bian-crm', 400, deepBian.body)).toBe(true);
    const huge = await run(tmf629.createCustomer, {
      tenant,
      body: { name: 'Huge', engagedParty, characteristic: [{ name: 'score', value: 1e200 }] },
    });
    expect(huge.status).toBe(400);
    expect(huge.body.message).toMatch(/characteristic\[0\]\.value is a number outside the range/);
    const tiny = await run(bianCrm.bianCrmCreate, { tenant, body: { CustomerInsightType: { Score: 1e-200 } } });
    expect(tiny.status).toBe(400);
    expect(tiny.body.message).toMatch(/CustomerInsightType\.Score is a number outside the range/);
    // Past 2^53 but inside DynamoDB's range: stored and read back as the double that was sent.
    const large = await run(tmf629.createCustomer, {
      tenant,
      body: { name: 'Large numbers', engagedParty, characteristic: [{ name: 'n', value: { big: 3.284218884713568e112, small: -1.5e-100, int: 2 ** 60 } }] },
    });
    expect(large.status).toBe(201);
    const read = await run(tmf629.retrieveCustomer, { tenant, params: { id: large.body.id } });
    expect(read.body.characteristic[0].value).toEqual({ big: 3.284218884713568e112, small: -1.5e-100, int: 2 ** 60 });
    await run(tmf629.deleteCustomer, { tenant, params: { id: large.body.id } });
    const emptyName = await run(tmf629.createCustomer, { tenant, body: { name: 'Empty', engagedParty, characteristic: [{ name: 'c', value: { '': 1 } }] } });
    expect(emptyName.status).toBe(400);
    expect(emptyName.body.message).toMatch(/characteristic\[0\]\.value has a field with an empty name/);
    expect((await run(tmf629.listCustomer, { tenant, query: {} })).body).toEqual([]);
  });

  it('refuses a resource too large for one item (413), before any write', async () => {
    const tenant = uniqueTenant();
    const characteristic = Array.from({ length: 450 }, (_, i) => ({ name: `c${i}`, value: 'v'.repeat(1000) }));
    const answer = await run(tmf629.createCustomer, { tenant, body: { name: 'Large', engagedParty, characteristic } });
    expect(answer.status).toBe(413);
    // Its event, which carries it, passes the bus's 256 KB before the item passes DynamoDB's 400 KB.
    expect(answer.body.message).toMatch(/the event bus takes at most 262144/);
    expect((await run(tmf629.listCustomer, { tenant, query: {} })).body).toEqual([]);
  });

  it('refuses, before sending anything, a write whose item would pass 400 KB (a resource whose event is small: a change of it)', async () => {
    const key = { pk: `T#${uniqueTenant()}#LIMITS`, sk: 'BIG' };
    const requests = await recordRequests(async () => {
      await expect(transact([{ Put: { TableName: tableName(), Item: { ...key, payload: 'x'.repeat(410_000) } } }])).rejects.toThrow(
        /at most 400 KB fit in one item/,
      );
    });
    expect(requests).toEqual([]);
  });

  it('refuses a change whose event the bus could not take (an entry past 256 KB) with 413, before any write', async () => {
    const tenant = uniqueTenant();
    // About 300 KB: the item fits DynamoDB's 400 KB, its event does not fit EventBridge's 256 KB.
    const characteristic = Array.from({ length: 300 }, (_, i) => ({ name: `c${i}`, value: 'v'.repeat(1000) }));
    const answer = await run(tmf629.createCustomer, { tenant, body: { name: 'Large event', engagedParty, characteristic } });
    expect(answer.status).toBe(413);
    expect(isFamilyError('tmf629', 413, answer.body)).toBe(true);
    expect(answer.body.message).toMatch(/CustomerCreateEvent event would be \d+ bytes; the event bus takes at most 262144/);
    expect((await run(tmf629.listCustomer, { tenant, query: {} })).body).toEqual([]);
    // One that fits both is taken.
    expect((await run(tmf629.createCustomer, { tenant, body: { name: 'Fits', engagedParty, characteristic: characteristic.slice(0, 200) } })).status).toBe(201);
  });

  it('holds at most 100 tags per customer: the 101st is a 422 and changes nothing', async () => {
    const tenant = uniqueTenant();
    const tags = Array.from({ length: 100 }, (_, i) => `tag-${i}`);
    const created = await run(crm.createCrmCustomer, { tenant, body: { name: 'Tagged', type: TYPE, tags } });
    expect(created.status).toBe(201);
    const refused = await run(crm.addCrmTag, { tenant, params: { id: created.body.id, tag: 'one-more' } });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/at most 100 tags/);
    const again = await run(crm.addCrmTag, { tenant, params: { id: created.body.id, tag: 'tag-7' } });
    expect(again.status).toBe(200);
    expect(again.headers.etag).toBe('"1"');
  });

  it('holds at most 100 hub registrations per tenant (422), so the notifier reads them in one Query', async () => {
    const tenant = uniqueTenant();
    const register = () => run(tmf629.registerListener, { tenant, body: { callback: 'https://listener.example.com/hook' } });
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      const answer = await register();
      expect(answer.status).toBe(201);
      ids.push(answer.body.id);
    }
    const refused = await register();
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/at most 100 hub registrations/);
    expect((await run(tmf629.unregisterListener, { tenant, params: { id: ids[0]! } })).status).toBe(204);
    expect((await register()).status).toBe(201);
    const { listSubscriptions } = await import('../../functions/storage/subscriptions.ts');
    expect(await listSubscriptions(tenant)).toHaveLength(100);
  });

  it('refuses forged cursors and cursors of another list or tenant (400) on every CRM and TMF list', async () => {
    const tenant = uniqueTenant();
    for (const name of ['Ann', 'Bob', 'Cid']) expect((await run(crm.createCrmCustomer, { tenant, body: { name, type: TYPE } })).status).toBe(201);
    const page = await run(crm.listCrmCustomers, { tenant, query: { limit: '1' } });
    const real = page.headers['x-next-cursor']!;
    expect(real).toBeDefined();
    const forged = Buffer.from(JSON.stringify({ pk: `T#${tenant}#CUSTOMER#x` })).toString('base64url');
    const [payload] = real.split('.');
    const unsigned = payload!;
    const lists = [crm.listCrmCustomers, crm.listMyCrmCustomers, crm.listOverdueActions, crm.listCrmCustomersByStatus, crm.listCrmCustomersByOwner];
    for (const op of lists) {
      const params: Record<string, string> | undefined =
        op === crm.listCrmCustomersByStatus ? { status: 'LEAD' } : op === crm.listCrmCustomersByOwner ? { ownerId: 'user-1' } : undefined;
      for (const cursor of [forged, unsigned, `${unsigned}.AAAAAAAAAAAAAAAAAAAAAA`, 'not a cursor']) {
        const answer = await run(op, { tenant, params, query: { cursor } });
        expect(answer.status, `${op.name} ${cursor.slice(0, 20)}`).toBe(400);
        expect(answer.body.detail).toMatch(/cursor/);
      }
      if (op !== crm.listCrmCustomers) expect((await run(op, { tenant, params, query: { cursor: real } })).status, op.name).toBe(400);
    }
    expect((await run(crm.listCrmCustomers, { tenant: uniqueTenant(), query: { cursor: real } })).status).toBe(400);
    expect((await run(crm.listCrmCustomers, { tenant, query: { cursor: real } })).status).toBe(200);
  });

  it('refuses a tenant or subject claim no key can hold (403, 401)', async () => {
    const tenant = await run(tmf629.listCustomer, { claims: { sub: 'u', tenant: 'a#CUSTOMER#b' }, query: {} });
    expect(tenant.status).toBe(403);
    const long = await run(tmf629.listCustomer, { claims: { sub: 'u', tenant: 't'.repeat(200) }, query: {} });
    expect(long.status).toBe(403);
    const subject = await run(tmf629.listCustomer, { claims: { sub: 's'.repeat(3000), tenant: 'ok' }, query: {} });
    expect(subject.status).toBe(401);
  });
});
