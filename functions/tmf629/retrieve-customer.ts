import { defineHandler } from '../http/kernel.ts';
import { shownToCaller } from '../http/access.ts';
import { notFound } from '../http/errors.ts';
import { customerGone } from '../http/customer-deletion.ts';
import { etag } from '../http/preconditions.ts';
import type { TmfGeneration } from '../domain/tmf629/generation.ts';
import { v4 } from '../domain/tmf629/generations.ts';
import { customerAnswer, selectedFields } from './customer-view.ts';
import { tmf629, type TmfCustomerOperations } from './operations.ts';
import { readCustomerWithFields } from '../http/custom-values.ts';

/** GET /customer/{id} in any generation — 200 with the customer as it shows it (or the `fields` selected), 404 when unknown. */
export const retrieveCustomer = (generation: TmfGeneration, operation: TmfCustomerOperations['retrieveCustomer']) =>
  defineHandler(operation, async (request) => {
    const fields = selectedFields(generation, request.query.fields);
    const found = await readCustomerWithFields(request, request.params.id);
    if (!found)
      throw await customerGone(
        request,
        request.params.id,
        () => notFound(`Customer '${request.params.id}' does not exist.`),
        (survivor) => `${request.baseUrl}${request.path.slice(0, request.path.lastIndexOf('/'))}/${encodeURIComponent(survivor)}`,
      );
    const { record, context: custom } = found;
    return {
      status: 200,
      body: customerAnswer(generation, shownToCaller(request, record, custom), request.baseUrl, fields, custom),
      headers: { etag: etag(record.version) },
    };
  });

export const handler = retrieveCustomer(v4, tmf629.retrieveCustomer);
