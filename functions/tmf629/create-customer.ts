import { changeContext, defineHandler } from '../http/kernel.ts';
import { asCreatedBy, refuseClosedCustomValues, shownToCaller } from '../http/access.ts';
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
import { customerFields, withCheckedCustomValues } from '../http/custom-values.ts';
import { customCharacteristicsOf } from './attribute-changes.ts';
import { withOptimisticRetry } from '../storage/table/optimistic.ts';

/**
 * POST /customer in any generation — 201 with Location = the request URL + / + id, the customer
 * as the generation shows it (or the `fields` selected); an Idempotency-Key replays the first response.
 * A characteristic named like one of the tenant's custom fields is that field's value: checked,
 * stored typed, shown with the type its field implies.
 */
export const createCustomer = (generation: TmfGeneration, operation: TmfCustomerOperations['createCustomer']) =>
  defineHandler(operation, async (request) => {
    const { tenantId, sub } = request.caller;
    const fields = selectedFields(generation, request.query.fields);
    const id = newId();
    const custom = await customerFields(request);
    const { attributes, values } = customCharacteristicsOf(generation, takeCustomer(generation, request.body as Json, {}, id), custom);
    refuseClosedCustomValues(request, values, custom);
    const record: CustomerRecord = await withCheckedCustomValues(
      await asCreatedBy(
        request,
        {
          ...attributes,
          '@type': attributes['@type'] ?? 'Customer',
          crmStatus: 'LEAD',
          ...newCustomerMeta(id, tenantId, sub),
          name: String(attributes.name),
        },
        custom,
      ),
      values,
      custom,
      { creating: true, path: 'characteristic' },
    );
    const location = `${request.baseUrl}${request.path}/${encodeURIComponent(id)}`;
    const body = customerAnswer(generation, shownToCaller(request, record, custom), request.baseUrl, fields, custom);
    const response = { status: 201, body, headers: { location, etag: etag(record.version) } };
    const events = tmfCustomerEvents(['CustomerCreateEvent'], record, changeContext(request, custom), 1);
    // A create races only on its unique values' claims: a concurrent writer's conflict is retried, then seen as a taken value (409).
    await withOptimisticRetry(() => insertCustomer(record, events, request.idempotency(response, id)));
    return response;
  });

export const handler = createCustomer(v4, tmf629.createCustomer);
