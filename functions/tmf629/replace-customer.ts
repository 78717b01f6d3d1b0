import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import type { TmfGeneration } from '../domain/tmf629/generation.ts';
import type { Json } from '../domain/tmf629/items.ts';
import { v4 } from '../domain/tmf629/generations.ts';
import { changeTmfAttributes } from './attribute-changes.ts';
import { tmf629, type TmfReplaceOperation } from './operations.ts';

/**
 * PUT /customer/{id} — full update (v3's, and R18's optional operation offered on v4 as an
 * extension): the body is the whole customer as a create takes it (with the `id` and `href` a GET
 * gave, if the caller sends them back); every attribute the generation shows and the body leaves
 * out is cleared; what it does not show (another generation's attributes, the CRM's fields) is
 * kept. 200 with the resource; If-Match → 412 when stale.
 */
export const replaceCustomer = (generation: TmfGeneration, operation: TmfReplaceOperation) =>
  defineHandler(operation, (request) => {
    const { id, href: _href, ...attributes } = request.body as Json;
    if (id !== undefined && id !== request.params.id) throw badRequest(`The body's id '${String(id)}' is not the path's '${request.params.id}'.`);
    return changeTmfAttributes(generation, request, request.params.id, () => attributes, 'customer');
  });

export const handler = replaceCustomer(v4, tmf629.replaceCustomer);
