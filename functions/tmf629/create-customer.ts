import { changeContext, defineHandler } from '../http/kernel.ts';
import { etag } from '../http/preconditions.ts';
import { newId } from '../storage/ids.ts';
import { insertCustomer } from '../storage/customers.ts';
import { newCustomerMeta, type CustomerRecord } from '../storage/customer-items.ts';
import { tmfCustomerEvents } from '../events/tmf-customer-events.ts';
import { toTmfCustomer } from '../domain/customer-model.ts';
import { tmf629 } from './operations.ts';

/** POST /customer — 201 with Location = href; an Idempotency-Key replays the first response. */
export const handler = defineHandler(tmf629.createCustomer, async (request) => {
  const { tenantId, sub } = request.caller;
  const record: CustomerRecord = {
    ...request.body,
    '@type': request.body['@type'] ?? 'Customer',
    crmStatus: 'LEAD',
    ...newCustomerMeta(newId(), tenantId, sub),
  };
  const customer = toTmfCustomer(record, request.baseUrl);
  const response = { status: 201, body: customer, headers: { location: customer.href, etag: etag(record.version) } };
  await insertCustomer(record, tmfCustomerEvents(['CustomerCreateEvent'], record, changeContext(request), 1), request.idempotency(response));
  return response;
});
