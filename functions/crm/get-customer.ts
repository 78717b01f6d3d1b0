import { defineHandler } from '../http/kernel.ts';
import { mayReach, shownToCaller } from '../http/access.ts';
import { etag } from '../http/preconditions.ts';
import { getCustomerOverview } from '../storage/customers/customers.ts';
import { findUser } from '../storage/users.ts';
import { customerNotFound } from './customer-changes.ts';
import { childView } from './child-changes.ts';
import { CRM_BASE_PATH, toCrmCustomer, toTimelineEntry } from './customer-view.ts';
import { customerGone } from '../http/customer-deletion.ts';
import { crm } from './operations.ts';
import { customerFields } from '../http/custom-values.ts';

export const RECENT_ACTIVITIES = 10;
/** The timeline shows the newest events (oldest of them first): a long history costs no more to read. */
export const RECENT_EVENTS = 50;
/** The newest opportunities (oldest of them first); all of them page through GET /{id}/opportunities. */
export const RECENT_OPPORTUNITIES = 50;

/**
 * GET /api/v1/crm/customers/{id} — the enriched customer: the customer with its newest activities,
 * its newest events (timeline) and its newest opportunities (three bounded Queries of its item
 * collection, sent at once), and the owner from the user directory.
 */
export const handler = defineHandler(crm.getCrmCustomer, async (request) => {
  const { tenantId } = request.caller;
  const id = request.params.id!;
  const [{ customer: record, activities, events, opportunities }, fields] = await Promise.all([
    getCustomerOverview(tenantId, id, { activities: RECENT_ACTIVITIES, events: RECENT_EVENTS, opportunities: RECENT_OPPORTUNITIES }),
    customerFields(request),
  ]);
  if (!record || !mayReach(request, record, 'read'))
    throw await customerGone(
      request,
      id,
      () => customerNotFound(id),
      (survivor) => `${request.baseUrl}${CRM_BASE_PATH}/${encodeURIComponent(survivor)}`,
    );
  const owner = record.ownerId ? await findUser(tenantId, String(record.ownerId)) : undefined;
  return {
    status: 200,
    body: {
      ...toCrmCustomer(shownToCaller(request, record, fields), fields),
      events: events.map(toTimelineEntry).reverse(),
      ...(owner ? { owner } : {}),
      recentActivities: activities.map(childView),
      opportunities: opportunities.map(childView).reverse(),
    },
    headers: { etag: etag(record.version) },
  };
});
