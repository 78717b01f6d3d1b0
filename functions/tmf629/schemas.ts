/**
 * TMF629 request and response schemas of the three generations, built on the generations' models
 * (`functions/domain/customer-model.ts` for v4, `functions/domain/tmf629/v3.ts` and `v5.ts`),
 * which mirror the official files field by field. zod/mini keeps the handlers' bundles small
 * (ARCHITECTURE.md, Decisions). Top-level resources are strict (an unknown attribute is a 400 naming it).
 */
import * as z from 'zod/mini';
import { customerAttributes } from '../domain/customer-model.ts';
import { V3Customer, V3CustomerAttributes, v3AttributeShape } from '../domain/tmf629/v3.ts';
import { V5Customer, V5CustomerAttributes, V5Hub, V5HubInput } from '../domain/tmf629/v5.ts';

/** A full update may carry back the `id` (which must be the path's) and `href` a GET gave. */
const identity = () => ({ id: z.optional(z.string()), href: z.optional(z.string()) });

/** v4 POST body: `name` and `engagedParty` are mandatory (conformance profile). */
export const CustomerCreate = z.lazy(() => z.strictObject({ ...customerAttributes(), name: z.string().check(z.minLength(1)) }));
export type CustomerCreate = z.infer<typeof CustomerCreate>;

/** v4 PUT body: the whole customer as a create takes it. */
export const CustomerReplace = z.lazy(() => z.strictObject({ ...customerAttributes(), name: z.string().check(z.minLength(1)), ...identity() }));

/** The v4 resource as returned. */
export const Customer = z.lazy(() => z.object({ id: z.string(), href: z.string(), ...customerAttributes(), name: z.string() }));

/** v3 (R18) bodies and resource: a create needs only `name`. */
export const V3CustomerCreate = V3CustomerAttributes;
export const V3CustomerReplace = z.lazy(() => z.strictObject({ ...v3AttributeShape(), ...identity() }));
export { V3Customer };

/** v5.0.1 bodies and resources: Customer_FVO (`@type`, `name`, `engagedParty`), Hub_FVO. */
export const V5CustomerCreate = V5CustomerAttributes;
export { V5Customer, V5Hub, V5HubInput };

/** PATCH with merge semantics: every attribute optional, `null` removes it. `id`/`href` are refused. */
export const CustomerMergePatch = z.lazy(() => z.record(z.string(), z.unknown()));

/** RFC 6902 JSON Patch document. */
export const JsonPatchOperation = z.lazy(() =>
  z.discriminatedUnion('op', [
    z.strictObject({ op: z.literal('add'), path: z.string(), value: z.unknown() }),
    z.strictObject({ op: z.literal('replace'), path: z.string(), value: z.unknown() }),
    z.strictObject({ op: z.literal('test'), path: z.string(), value: z.unknown() }),
    z.strictObject({ op: z.literal('remove'), path: z.string() }),
    z.strictObject({ op: z.literal('move'), from: z.string(), path: z.string() }),
    z.strictObject({ op: z.literal('copy'), from: z.string(), path: z.string() }),
  ]),
);
export const JsonPatch = z.lazy(() => z.array(JsonPatchOperation));

/** TMF `Error` (v4; v5's also requires `@type`, which every TMF error carries). */
export const TmfError = z.lazy(() =>
  z.object({
    '@type': z.optional(z.string()),
    code: z.string(),
    reason: z.string(),
    message: z.optional(z.string()),
    status: z.optional(z.string()),
  }),
);

/** v3 and v4 hub registration. */
export const EventSubscriptionInput = z.lazy(() =>
  z.strictObject({
    callback: z.string().check(z.minLength(1)),
    query: z.optional(z.string()),
    /** Rapport's extension: a Standard Webhooks secret (`whsec_…`) that signs the notifications (README, "Webhooks"). */
    secret: z.optional(z.string()),
  }),
);
export const EventSubscription = z.lazy(() => z.object({ id: z.string(), callback: z.string(), query: z.optional(z.string()) }));
