import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { applyMergePatch } from '../domain/merge-patch.ts';
import { applyJsonPatch, JsonPatchError, type PatchOperation } from '../domain/json-patch.ts';
import type { TmfGeneration } from '../domain/tmf629/generation.ts';
import { v4 } from '../domain/tmf629/generations.ts';
import { changeTmfAttributes } from './attribute-changes.ts';
import { tmf629, type TmfCustomerOperations } from './operations.ts';

const NOT_PATCHABLE = ['id', 'href'];

/** The patch applied to the customer's attributes as the generation shows them; `id` and `href` may not be touched. */
const patched = (current: Record<string, unknown>, contentType: string | undefined, body: unknown): unknown => {
  if (contentType === 'application/json-patch+json') {
    const operations = body as PatchOperation[];
    for (const operation of operations) {
      for (const pointer of [operation.path, 'from' in operation ? operation.from : undefined]) {
        const top = pointer?.split('/')[1];
        if (top !== undefined && NOT_PATCHABLE.includes(top)) throw badRequest(`'${top}' is not patchable.`);
      }
    }
    try {
      return applyJsonPatch(current, operations);
    } catch (error) {
      if (error instanceof JsonPatchError) throw badRequest(`JSON Patch ${error.message}.`);
      throw error;
    }
  }
  const patch = body as Record<string, unknown>;
  for (const name of NOT_PATCHABLE) if (name in patch) throw badRequest(`'${name}' is not patchable.`);
  return applyMergePatch(current, patch);
};

/** PATCH /customer/{id} in any generation — merge patch or JSON Patch on what it shows; 200 with the full resource; If-Match → 412 when stale. */
export const patchCustomer = (generation: TmfGeneration, operation: TmfCustomerOperations['patchCustomer']) =>
  defineHandler(operation, (request) =>
    changeTmfAttributes(generation, request, request.params.id, (before) => patched(before, request.contentType, request.body), 'customer after the patch'),
  );

export const handler = patchCustomer(v4, tmf629.patchCustomer);
