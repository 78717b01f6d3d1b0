import { describe, expect, it } from 'vitest';
import { handler as createCustomer } from '../../functions/crm/create-customer.ts';
import { handler as getCustomer, RECENT_ACTIVITIES, RECENT_EVENTS, RECENT_OPPORTUNITIES } from '../../functions/crm/get-customer.ts';
import { handler as createOpportunity } from '../../functions/crm/create-opportunity.ts';
import { handler as setNextAction } from '../../functions/crm/set-next-action.ts';
import { handler as addTag } from '../../functions/crm/add-tag.ts';
import { handler as assignOwner } from '../../functions/crm/assign-owner.ts';
import { handler as createActivity } from '../../functions/crm/create-activity.ts';
import { crm } from '../../functions/crm/operations.ts';
import { call, uniqueTenant } from '../../lib/local/direct-call.ts';
import { recordRequests } from '../../lib/local/request-recorder.ts';

const sum = (records: { readUnits: number; writeUnits: number }[]) => ({
  read: records.reduce((s, r) => s + r.readUnits, 0),
  write: records.reduce((s, r) => s + r.writeUnits, 0),
});

describe('DynamoDB requests per CRM operation (real handlers, DynamoDB Local)', () => {
  it('reads the enriched customer with three bounded Queries sent at once (plus one GetItem for its owner), however long its history', async () => {
    const tenant = uniqueTenant();
    const { body: c } = await call(createCustomer, crm.createCrmCustomer, { tenant, body: { name: 'Acme', type: 'ORGANIZATION' } });
    for (let i = 0; i < 12; i++) await call(createActivity, crm.createActivity, { tenant, params: { id: c.id }, body: { type: 'NOTE', subject: `n${i}` } });
    for (let i = 0; i < 55; i++) await call(createOpportunity, crm.createOpportunity, { tenant, params: { id: c.id }, body: { name: `o${i}` } });
    const unowned = await recordRequests(() => call(getCustomer, crm.getCrmCustomer, { tenant, params: { id: c.id } }));
    expect(unowned.map((r) => r.command)).toEqual(['QueryCommand', 'QueryCommand', 'QueryCommand']);
    await call(assignOwner, crm.assignCrmOwner, { tenant, params: { id: c.id, ownerId: 'ann' } });
    const owned = await recordRequests(() => call(getCustomer, crm.getCrmCustomer, { tenant, params: { id: c.id } }));
    expect(owned.map((r) => r.command)).toEqual(['QueryCommand', 'QueryCommand', 'QueryCommand', 'GetItemCommand']);
    // 60 and then 120 changes: the timeline shows the newest 50 (oldest of them first), and twice the history costs no more to read.
    const change = async (from: number, to: number) => {
      for (let i = from; i < to; i++)
        await call(setNextAction, crm.setNextAction, {
          tenant,
          params: { id: c.id },
          body: { nextAction: `Call ${i}`, nextActionDueDate: '2031-01-01T00:00:00Z' },
        });
    };
    await change(0, 60);
    const before = sum(await recordRequests(() => call(getCustomer, crm.getCrmCustomer, { tenant, params: { id: c.id } }))).read;
    await change(60, 120);
    let enriched: Awaited<ReturnType<typeof call>> | undefined;
    const long = await recordRequests(async () => {
      enriched = await call(getCustomer, crm.getCrmCustomer, { tenant, params: { id: c.id } });
    });
    const events = enriched!.body.events as { type: string; description: string; date: string }[];
    expect(events).toHaveLength(RECENT_EVENTS);
    expect(events.at(-1)!.description).toContain('Call 119');
    expect(events.map((e) => e.date)).toEqual(events.map((e) => e.date).sort());
    expect(enriched!.body.recentActivities).toHaveLength(RECENT_ACTIVITIES);
    expect(enriched!.body.recentActivities[0].subject).toBe('n11');
    // The newest 50 of its 55 opportunities, oldest of them first; all of them page through GET /{id}/opportunities.
    const opportunities = enriched!.body.opportunities as { name: string }[];
    expect(opportunities).toHaveLength(RECENT_OPPORTUNITIES);
    expect(opportunities.map((o) => o.name)).toEqual(Array.from({ length: 50 }, (_, i) => `o${i + 5}`));
    expect(sum(long).read).toBe(before);
    console.log(`GET /crm/customers/{id} (12 activities, 55 opportunities, 189 events): ${long.length} requests, ${JSON.stringify(sum(long))} capacity units`);
  });

  it('adds a tag with one read and one transaction (set update + event)', async () => {
    const tenant = uniqueTenant();
    const { body: c } = await call(createCustomer, crm.createCrmCustomer, { tenant, body: { name: 'Acme', type: 'ORGANIZATION' } });
    const records = await recordRequests(() => call(addTag, crm.addCrmTag, { tenant, params: { id: c.id, tag: 'vip' } }));
    expect(records.map((r) => r.command)).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
    expect(sum(records).write).toBeGreaterThan(0);
    console.log(`POST /crm/customers/{id}/tags/{tag}: ${records.length} requests, ${JSON.stringify(sum(records))} capacity units`);
  });
});
