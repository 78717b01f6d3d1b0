import { defineHandler } from '../http/kernel.ts';
import { etag } from '../http/preconditions.ts';
import { fromItem, getCustomerCollection } from '../storage/customers.ts';
import { findUser } from '../storage/users.ts';
import { customerNotFound } from './customer-changes.ts';
import { childView } from './child-changes.ts';
import { toCrmCustomer, toTimelineEntry } from './customer-view.ts';
import { crm } from './operations.ts';

export const RECENT_ACTIVITIES = 10;

/**
 * GET /api/v1/crm/customers/{id} — the enriched customer from one Query on its item collection
 * (customer, activities, opportunities, timeline), with the owner from the user directory.
 */
export const handler = defineHandler(crm.getCrmCustomer, async (request) => {
  const { tenantId } = request.caller;
  const id = request.params.id!;
  const items = await getCustomerCollection(tenantId, id);
  const customerItem = items.find((item) => item.entity === 'CUSTOMER');
  if (!customerItem) throw customerNotFound(id);
  const record = fromItem(customerItem);
  const owner = record.ownerId ? await findUser(tenantId, String(record.ownerId)) : undefined;
  const events = items.filter((item) => item.entity === 'EVENT').map(toTimelineEntry).reverse();
  return {
    status: 200,
    body: {
      ...toCrmCustomer(record),
      events,
      ...(owner ? { owner } : {}),
      recentActivities: items.filter((item) => item.entity === 'ACTIVITY').slice(0, RECENT_ACTIVITIES).map(childView),
      opportunities: items.filter((item) => item.entity === 'OPPORTUNITY').map(childView),
    },
    headers: { etag: etag(record.version) },
  };
});
