import { defineHandler } from '../http/kernel.ts';
import { notFound } from '../http/errors.ts';
import { etag } from '../http/preconditions.ts';
import { getCustomer } from '../storage/customers.ts';
import { selectFields } from '../domain/field-selection.ts';
import { ALWAYS_KEPT, selectedFields } from './customer-view.ts';
import { toTmfCustomer } from '../domain/customer-model.ts';
import { tmf629 } from './operations.ts';

/** GET /customer/{id} — 200 with the customer (or the `fields` selected), 404 when unknown. */
export const handler = defineHandler(tmf629.retrieveCustomer, async (request) => {
  const fields = selectedFields(request.query.fields);
  const record = await getCustomer(request.caller.tenantId, request.params.id!);
  if (!record) throw notFound(`Customer '${request.params.id}' does not exist.`);
  return {
    status: 200,
    body: selectFields(toTmfCustomer(record, request.baseUrl), fields, ALWAYS_KEPT),
    headers: { etag: etag(record.version) },
  };
});
