import { changeContext, defineHandler } from '../http/kernel.ts';
import { tmfCustomerEvents } from '../events/tmf-customer-events.ts';
import { etag } from '../http/preconditions.ts';
import { newId } from '../storage/ids.ts';
import { insertCustomer } from '../storage/customers.ts';
import { newCustomerMeta, type CustomerRecord } from '../storage/customer-items.ts';
import { applyProfileToTmf } from '../domain/customer-mapping.ts';
import { crmEvent } from './crm-events.ts';
import { CRM_BASE_PATH, toCrmCustomer } from './customer-view.ts';
import { crm } from './operations.ts';

/**
 * POST /api/v1/crm/customers — 201 with Location; Idempotency-Key honoured. The customer is one
 * item with the TMF629 view: type → engagedParty (the customer's own party id), email, phone and
 * addresses → contactMedium.
 */
export const handler = defineHandler(crm.createCrmCustomer, async (request) => {
  const { tenantId, sub } = request.caller;
  const { type, email, phone, billingAddress, deliveryAddresses, tags, crmStatus, ...rest } = request.body;
  const id = newId();
  const tmf = applyProfileToTmf({ engagedParty: { id, '@referredType': 'Organization' } }, { type, email, phone, billingAddress, deliveryAddresses });
  const record: CustomerRecord = {
    ...rest,
    ...tmf,
    '@type': 'Customer',
    crmStatus: crmStatus ?? 'LEAD',
    tags: [...new Set(tags ?? [])].sort(),
    ...newCustomerMeta(id, tenantId, sub),
    // Two events: the CRM's CustomerCreated, and TMF629's CustomerCreateEvent for its hub listeners.
    sequence: 2,
  };
  const customer = toCrmCustomer(record);
  const response = { status: 201, body: customer, headers: { location: `${request.baseUrl}${CRM_BASE_PATH}/${id}`, etag: etag(1) } };
  const events = [
    crmEvent(request, 'CustomerCreated', { type: 'Customer', id }, 1, { customer }, `Customer ${record.name} created`),
    ...tmfCustomerEvents(['CustomerCreateEvent'], record, changeContext(request), 2, true),
  ];
  await insertCustomer(record, events, request.idempotency(response, record.id));
  return response;
});
