import { defineHandler } from '../http/kernel.ts';
import { groupsWith } from '../domain/access.ts';
import { shownToCaller } from '../http/access.ts';
import { exportPart } from '../storage/customers/customer-lifecycle.ts';
import { getLinkedPlans } from '../storage/bian/plan-links.ts';
import { childFromItem } from '../storage/customers/customer-children.ts';
import { showCustomer } from '../domain/tmf629/generation.ts';
import { v4 } from '../domain/tmf629/generations.ts';
import { childView } from './child-changes.ts';
import { customerNotFound } from './customer-changes.ts';
import { toCrmCustomer } from './customer-view.ts';
import { crm } from './operations.ts';
import { readCustomerWithFields } from '../http/custom-values.ts';
import { storedCustomValues, withCustomCharacteristics } from '../domain/custom-values.ts';

/**
 * GET /api/v1/crm/customers/{id}/export — GDPR articles 15 and 20: everything held about the
 * customer, as one JSON document in parts however long its history: the first part has the
 * profile in both views (CRM and TMF629) and every custom value held (`customFieldsHeld`, archived
 * fields' too); each part holds up to `limit` of what it owns
 * (activities, opportunities, timeline events and their mirrors, linked BIAN plans) in stored order, read in one
 * Query; `next` is the cursor of the following part, absent on the last. 404 for a customer that
 * is not live. For a caller whose roles hide field groups, those are left out of the profile, and
 * the events' data and the linked plans (copies of the customer) are withheld; `withheld` names
 * the groups.
 */
export const handler = defineHandler(crm.exportCrmCustomer, async (request) => {
  const id = request.params.id;
  const { limit } = request.query;
  const found = await readCustomerWithFields(request, id);
  if (!found) throw customerNotFound(id);
  // What the caller's roles hide is left out: of the profile, and of every event and linked plan (which hold copies of it).
  const hidden = groupsWith(request.caller.access, 'read');
  const withheld = hidden.length > 0;
  const { context: fields } = found;
  const customer = shownToCaller(request, found.record, fields);
  const part = await exportPart(request.caller.tenantId, id, limit, request.query.cursor);
  const of = (entity: string) => part.items.filter((item) => item.entity === entity);
  const body = {
    customerId: id,
    exportedAt: new Date().toISOString(),
    ...(request.query.cursor === undefined
      ? {
          customer: {
            crm: toCrmCustomer(customer, fields),
            tmf629: showCustomer(v4, withCustomCharacteristics(customer, fields), request.baseUrl),
            // Everything held, archived fields' values included: what the views hide is still the customer's data (but what the caller's roles hide).
            customFieldsHeld: storedCustomValues(customer),
          },
        }
      : {}),
    activities: of('ACTIVITY').map((item) => childView(childFromItem(item))),
    opportunities: of('OPPORTUNITY').map((item) => childView(childFromItem(item))),
    linkedPlans: withheld
      ? of('PLAN_LINK').map((link) => ({ planId: String(link.planId), withheld: true }))
      : await getLinkedPlans(
          request.caller.tenantId,
          of('PLAN_LINK').map((link) => String(link.planId)),
        ),
    events: part.items
      .filter((item) => item.entity === 'EVENT' || item.entity === 'MOVED_EVENT')
      .map((item) => {
        const { data, ...envelope } = item.detail as Record<string, unknown>;
        return { source: item.source, detailType: item.detailType, ...envelope, ...(withheld ? { dataWithheld: true } : { data }) };
      }),
    ...(withheld ? { withheld: hidden } : {}),
    ...(part.next ? { next: part.next } : {}),
  };
  return { status: 200, body };
});
