import { changeContext, defineHandler } from '../http/kernel.ts';
import { etag } from '../http/preconditions.ts';
import { newId } from '../domain/ids.ts';
import { insertCustomer } from '../storage/customers/customers.ts';
import { newCustomerMeta, type CustomerRecord } from '../storage/customers/customer-items.ts';
import { tmfCustomerEvents } from '../events/tmf-customer-events.ts';
import { takeCustomer, type TmfGeneration } from '../domain/tmf629/generation.ts';
import type { Json } from '../domain/tmf629/items.ts';
import { v4 } from '../domain/tmf629/generations.ts';
import { customerAnswer, selectedFields } from './customer-view.ts';
import { tmf629, type TmfCustomerOperations } from './operations.ts';

/**
 * POST /customer in any generation — 201 with Location = the request URL + / + id, the customer
 * as the generation shows it (or the `fields` selected); an Idempotency-Key replays the first response.
 */
export const createCustomer = (generation: TmfGeneration, operation: TmfCustomerOperations['createCustomer']) =>
  defineHandler(operation, async (request) => {
    const { tenantId, sub } = request.caller;
    const fields = selectedFields(generation, request.query.fields);
    const id = newId();
    const attributes = takeCustomer(generation, request.body as Json, {}, id);
    const record: CustomerRecord = {
      ...attributes,
      '@type': attributes['@type'] ?? 'Customer',
      crmStatus: 'LEAD',
      ...newCustomerMeta(id, tenantId, sub),
      name: String(attributes.name),
    };
    const location = `${request.baseUrl}${request.path}/${encodeURIComponent(id)}`;
    const body = customerAnswer(generation, record, request.baseUrl, fields);
    const response = { status: 201, body, headers: { location, etag: etag(record.version) } };
    await insertCustomer(record, tmfCustomerEvents(['CustomerCreateEvent'], record, changeContext(request), 1), request.idempotency(response, id));
    return response;
  });

export const handler = createCustomer(v4, tmf629.createCustomer);
