/**
 * TMF629 Customer Management v4.0.0 request and response schemas, built on the customer model
 * (`functions/domain/customer-model.ts`), which mirrors the official swagger file field by field.
 * zod/mini keeps the handlers' bundles small (ARCHITECTURE.md, Decisions). Top-level resources are
 * strict (an unknown attribute is a 400 naming it).
 */
import * as z from 'zod/mini';
import { customerAttributes } from '../domain/customer-model.ts';

/** POST body: `name` and `engagedParty` are mandatory (conformance profile). */
export const CustomerCreate = z.strictObject({ ...customerAttributes, name: z.string().check(z.minLength(1)) });
export type CustomerCreate = z.infer<typeof CustomerCreate>;

/** PUT body: the whole customer as a create takes it; `id` and `href`, as a GET returned them, may come along (an `id` must be the path's). */
export const CustomerReplace = z.strictObject({ ...CustomerCreate.shape, id: z.optional(z.string()), href: z.optional(z.string()) });
export type CustomerReplace = z.infer<typeof CustomerReplace>;

/** The resource as returned. */
export const Customer = z.object({ id: z.string(), href: z.string(), ...customerAttributes, name: z.string() });
export type Customer = z.infer<typeof Customer>;

/** PATCH with merge semantics: every attribute optional, `null` removes it. `id`/`href` are refused. */
export const CustomerMergePatch = z.record(z.string(), z.unknown());

/** RFC 6902 JSON Patch document. */
export const JsonPatchOperation = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('add'), path: z.string(), value: z.unknown() }),
  z.strictObject({ op: z.literal('replace'), path: z.string(), value: z.unknown() }),
  z.strictObject({ op: z.literal('test'), path: z.string(), value: z.unknown() }),
  z.strictObject({ op: z.literal('remove'), path: z.string() }),
  z.strictObject({ op: z.literal('move'), from: z.string(), path: z.string() }),
  z.strictObject({ op: z.literal('copy'), from: z.string(), path: z.string() }),
]);
export const JsonPatch = z.array(JsonPatchOperation);

/** TMF `Error`. */
export const TmfError = z.object({
  code: z.string(),
  reason: z.string(),
  message: z.optional(z.string()),
  status: z.optional(z.string()),
});

export const EventSubscriptionInput = z.strictObject({
  callback: z.string().check(z.minLength(1)),
  query: z.optional(z.string()),
});
export const EventSubscription = z.object({ id: z.string(), callback: z.string(), query: z.optional(z.string()) });

export const ListQuery = z.record(z.string(), z.string());
