import { describe, expect, it } from 'vitest';
import { handler as createCustomer } from '../../functions/crm/create-customer.ts';
import { handler as getCustomer } from '../../functions/crm/get-customer.ts';
import { handler as addTag } from '../../functions/crm/add-tag.ts';
import { handler as assignOwner } from '../../functions/crm/assign-owner.ts';
import { handler as createActivity } from '../../functions/crm/create-activity.ts';
import { crm } from '../../functions/crm/operations.ts';
import { call, uniqueTenant } from '../support/api-event.ts';
import { recordRequests } from '../support/capacity.ts';

const sum = (records: { readUnits: number; writeUnits: number }[]) => ({
  read: records.reduce((s, r) => s + r.readUnits, 0),
  write: records.reduce((s, r) => s + r.writeUnits, 0),
});

describe('DynamoDB requests per CRM operation (real handlers, DynamoDB Local)', () => {
  it('reads the enriched customer with one Query on its item collection (plus one GetItem for its owner)', async () => {
    const tenant = uniqueTenant();
    const { body: c } = await call(createCustomer, crm.createCrmCustomer, { tenant, body: { name: 'Acme', type: 'ORGANIZATION' } });
    for (let i = 0; i < 5; i++) await call(createActivity, crm.createActivity, { tenant, params: { id: c.id }, body: { type: 'NOTE', subject: `n${i}` } });
    const unowned = await recordRequests(() => call(getCustomer, crm.getCrmCustomer, { tenant, params: { id: c.id } }));
    expect(unowned.map((r) => r.command)).toEqual(['QueryCommand']);
    await call(assignOwner, crm.assignCrmOwner, { tenant, params: { id: c.id, ownerId: 'ann' } });
    const owned = await recordRequests(() => call(getCustomer, crm.getCrmCustomer, { tenant, params: { id: c.id } }));
    expect(owned.map((r) => r.command)).toEqual(['QueryCommand', 'GetItemCommand']);
    expect(sum(owned).read).toBeGreaterThan(0);
    console.log(`GET /crm/customers/{id} (5 activities, 7 events): ${owned.length} requests, ${JSON.stringify(sum(owned))} capacity units`);
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
