/** The business metrics are counted where the change commits, once per committed change. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handler as createTmfCustomer } from '../../functions/tmf629/create-customer.ts';
import { tmf629 } from '../../functions/tmf629/operations.ts';
import { handler as createCrmCustomer } from '../../functions/crm/create-customer.ts';
import { crm } from '../../functions/crm/operations.ts';
import { metrics } from '../../functions/observability.ts';
import { call, uniqueTenant } from '../../lib/local/direct-call.ts';

const counted = (spy: { mock: { calls: Parameters<typeof metrics.addMetric>[] } }, name: string): number =>
  spy.mock.calls.filter(([metric]) => metric === name).reduce((sum, [, , value]) => sum + value, 0);

afterEach(() => vi.restoreAllMocks());

describe('business metrics', () => {
  it('CustomersCreated: one per created customer in either API; not for a replay or a refused request', async () => {
    const spy = vi.spyOn(metrics, 'addMetric');
    const tenant = uniqueTenant();
    const tmf = { name: 'Metered', engagedParty: { id: 'p', '@referredType': 'Organization' } };
    expect((await call(createTmfCustomer, tmf629.createCustomer, { tenant, body: tmf, headers: { 'idempotency-key': 'k-1' } })).status).toBe(201);
    expect((await call(createTmfCustomer, tmf629.createCustomer, { tenant, body: tmf, headers: { 'idempotency-key': 'k-1' } })).status).toBe(201);
    expect((await call(createCrmCustomer, crm.createCrmCustomer, { tenant, body: { name: 'Metered BV', type: 'ORGANIZATION' } })).status).toBe(201);
    expect((await call(createCrmCustomer, crm.createCrmCustomer, { tenant, body: { type: 'ORGANIZATION' } })).status).toBe(400);
    expect(counted(spy, 'CustomersCreated')).toBe(2);
  });
});
