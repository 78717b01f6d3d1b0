import { defineHandler } from '../http/kernel.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { parseWith } from '../http/validation.ts';
import { etag } from '../http/preconditions.ts';
import { changeVersioned, loaded } from '../http/versioned-change.ts';
import { getCustomer, replaceCustomer } from '../storage/customers.ts';
import type { CustomerRecord } from '../storage/customer-items.ts';
import { applyMergePatch } from '../domain/merge-patch.ts';
import { jsonEqual } from '../domain/canonical-json.ts';
import { applyJsonPatch, JsonPatchError, type PatchOperation } from '../domain/json-patch.ts';
import { customerEvents, type TmfEventType } from './customer-events.ts';
import { tmfAttributesOf, toTmfCustomer } from './customer-view.ts';
import { tmf629 } from './operations.ts';
import { CustomerAttributes } from '../domain/customer-model.ts';

const NOT_PATCHABLE = ['id', 'href'];

/** The patch applied to the customer's TMF attributes; `id` and `href` may not be touched. */
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

/** PATCH /customer/{id} — merge patch or JSON Patch; 200 with the full resource; If-Match → 412 when stale. */
export const handler = defineHandler(tmf629.patchCustomer, (request) => {
  const id = request.params.id;
  return changeVersioned(request, {
    read: async () => loaded(await getCustomer(request.caller.tenantId, id)),
    missing: () => notFound(`Customer '${id}' does not exist.`),
    decide: (current) => {
      const before = tmfAttributesOf(current);
      const after = parseWith(CustomerAttributes, patched(before, request.contentType, request.body), 'customer after the patch');
      if (jsonEqual(before, after)) return { record: current, events: [] };
      const types: TmfEventType[] = ['CustomerAttributeValueChangeEvent'];
      if (before.status !== after.status) types.push('CustomerStateChangeEvent');
      return { record: { ...withoutTmfAttributes(current), ...after, id, tenantId: current.tenantId }, events: types };
    },
    write: ({ current, next, events }) => replaceCustomer(current, next, customerEvents(events, next, request, current.sequence)),
    respond: (record) => ({ status: 200, body: toTmfCustomer(record, request.baseUrl), headers: { etag: etag(record.version) } }),
  });
});

/** The record without its TMF attributes, so attributes the patch removed do not survive. */
const withoutTmfAttributes = (record: CustomerRecord): CustomerRecord => {
  const rest: Record<string, unknown> = { ...record };
  for (const name of Object.keys(tmfAttributesOf(record))) delete rest[name];
  return rest as CustomerRecord;
};
