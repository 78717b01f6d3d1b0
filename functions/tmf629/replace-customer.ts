import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { changeTmfAttributes } from './attribute-changes.ts';
import { tmf629 } from './operations.ts';

/**
 * PUT /customer/{id} — full update (R18's optional operation, an extension of v4): the body is the
 * whole customer as a create takes it (with the `id` and `href` a GET gave, if the caller sends them back); every attribute a caller may set and the body leaves out is
 * cleared. Fields only the CRM API knows are kept. 200 with the resource; If-Match → 412 when stale.
 */
export const handler = defineHandler(tmf629.replaceCustomer, (request) => {
  const { id, href: _href, ...attributes } = request.body;
  if (id !== undefined && id !== request.params.id) throw badRequest(`The body's id '${id}' is not the path's '${request.params.id}'.`);
  return changeTmfAttributes(request, request.params.id, () => attributes, 'customer');
});
