import { changeContext, defineHandler } from '../http/kernel.ts';
import { asCreatedBy, refuseClosedCustomValues, shownToCaller } from '../http/access.ts';
import { tmfCustomerEvents } from '../events/tmf-customer-events.ts';
import { etag } from '../http/preconditions.ts';
import { newId } from '../domain/ids.ts';
import { insertCustomer } from '../storage/customers/customers.ts';
import { withOptimisticRetry } from '../storage/table/optimistic.ts';
import { newCustomerMeta, type CustomerRecord } from '../storage/customers/customer-items.ts';
import { applyProfileToTmf } from '../domain/customer-mapping.ts';
import { crmEvent } from './crm-events.ts';
import { CRM_BASE_PATH, toCrmCustomer } from './customer-view.ts';
import { flagIfOverdue } from './next-action-overdue.ts';
import { crm } from './operations.ts';
import { customerFields, withCheckedCustomValues } from '../http/custom-values.ts';

/**
 * POST /api/v1/crm/customers — 201 with Location; Idempotency-Key honoured. The customer is one
 * item with the TMF629 view: type → engagedParty (the customer's own party id), email, phone and
 * addresses → contactMedium. A next action due at a date already past is flagged overdue in the
 * create's transaction, with its CustomerNextActionOverdue event. `customFields` are checked against
 * the tenant's fields (defaults filled in, required ones asked for); a unique value another customer
 * holds is a 409 naming the field and the customer.
 */
export const handler = defineHandler(crm.createCrmCustomer, async (request) => {
  const { tenantId, sub } = request.caller;
  const { type, email, phone, billingAddress, deliveryAddresses, tags, crmStatus, customFields, ...rest } = request.body;
  const fields = await customerFields(request);
  refuseClosedCustomValues(request, customFields ?? {}, fields);
  const id = newId();
  const tmf = applyProfileToTmf({ engagedParty: { id, '@referredType': 'Organization' } }, { type, email, phone, billingAddress, deliveryAddresses });
  const created: CustomerRecord = await withCheckedCustomValues(
    await asCreatedBy(
      request,
      {
        ...rest,
        ...tmf,
        '@type': 'Customer',
        crmStatus: crmStatus ?? 'LEAD',
        tags: [...new Set(tags ?? [])].sort(),
        ...newCustomerMeta(id, tenantId, sub),
      },
      fields,
    ),
    customFields ?? {},
    fields,
    { creating: true },
  );
  const { record: flagged, overdue } = await flagIfOverdue(created, new Date());
  // Its events: the CRM's CustomerCreated, TMF629's CustomerCreateEvent for its hub listeners, and CustomerNextActionOverdue when created overdue.
  const record = { ...flagged, sequence: overdue ? 3 : 2 };
  const customer = toCrmCustomer(record, fields);
  const response = {
    status: 201,
    body: toCrmCustomer(shownToCaller(request, record, fields), fields),
    headers: { location: `${request.baseUrl}${CRM_BASE_PATH}/${id}`, etag: etag(1) },
  };
  const events = [
    crmEvent(request, 'CustomerCreated', { type: 'Customer', id }, 1, { customer }, `Customer ${record.name} created`),
    ...tmfCustomerEvents(['CustomerCreateEvent'], record, changeContext(request, fields), 2, true),
    ...(overdue
      ? [crmEvent(request, 'CustomerNextActionOverdue', { type: 'Customer', id }, 3, { customer, ...overdue.data }, overdue.description, overdue.eventId)]
      : []),
  ];
  // A create races only on its unique values' claims: a concurrent writer's conflict is retried, then seen as a taken value (409).
  // An import's row is counted in the tenant's count by its chunk, once for all the chunk created (a shared item takes one write a chunk, not one a row).
  await withOptimisticRetry(() =>
    insertCustomer(record, events, request.idempotency(response, record.id), { tenantCount: request.caller.importJob === undefined }),
  );
  return response;
});
