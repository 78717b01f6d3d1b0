/**
 * TMF629 Customer Management operations, in its three generations over one store: v4.0.0 (the
 * CTK's, `tmf629`), R17/R18 "v3" (`tmf629v3`) and v5.0.1 (`tmf629v5`, under both of its base
 * paths). Each generation's entries come from one builder, so the three stay alike where their
 * contracts are alike; names carry the generation (`listCustomerV3`), and so do handler folders
 * (`functions/tmf629/v3/list-customer.ts`; v4's are at the top).
 */
import * as z from 'zod/mini';
import type { ZodMiniType } from 'zod/mini';
import { limitParameter, wholeNumberParameter, type Operation } from '../http/operation.ts';
import { TMF_BASE_PATH } from '../domain/customer-model.ts';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../domain/list-filters.ts';
import { MAX_IDS, MAX_OFFSET } from '../storage/customers/customer-lists.ts';
import { MAX_TMF_OFFSET, TMF_FILTER_ATTRIBUTES } from '../domain/tmf630-query.ts';
import { V3_BASE_PATH } from '../domain/tmf629/v3.ts';
import { V5_ALIAS_BASE_PATH, V5_BASE_PATH } from '../domain/tmf629/v5.ts';
import {
  Customer,
  CustomerCreate,
  CustomerMergePatch,
  CustomerReplace,
  EventSubscription,
  EventSubscriptionInput,
  JsonPatch,
  TmfError,
  V3Customer,
  V3CustomerCreate,
  V3CustomerReplace,
  V5Customer,
  V5CustomerCreate,
  V5Hub,
  V5HubInput,
} from './schemas.ts';

const json = 'application/json';
const errors = {
  400: { description: 'Bad Request', schema: TmfError },
  401: { description: 'Unauthorized', schema: TmfError },
  403: { description: 'Forbidden', schema: TmfError },
};
const notFound = { 404: { description: 'Not Found', schema: TmfError } };
const stale = { 412: { description: 'Precondition Failed', schema: TmfError } };
const media = { 415: { description: 'Unsupported Media Type', schema: TmfError } };

/** `fields`: the first-level attributes to answer; beside them each generation keeps what its conformance kit expects (`TmfGeneration.keptBySelection`). */
const fields = z.lazy(() => z.optional(z.string().check(z.describe('Comma-separated first-level attributes to return'))));
/** The query of an operation answering one customer. */
const oneCustomerQuery = z.lazy(() => z.strictObject({ fields }));
/**
 * The list's query: attribute selection, paging, sort, and TMF630 filters (domain/tmf630-query.ts).
 * The attributes' equality parameters are declared; their operator forms (`name.regex`,
 * `validFor.startDateTime.gte`…) and `characteristic.<name>` are taken beside them and checked by
 * the TMF630 reader, which answers an unknown parameter with a 400 naming it.
 */
const listQuery = z.lazy(() =>
  z.catchall(
    z.strictObject({
      fields,
      offset: wholeNumberParameter({
        min: 0,
        max: MAX_TMF_OFFSET,
        fallback: 0,
        description: `Entries to skip: up to ${MAX_OFFSET} from the table's name index, beyond that (or with filters it does not carry) from the search projection, which walks them`,
      }),
      limit: limitParameter(MAX_LIMIT, DEFAULT_LIMIT),
      cursor: z.optional(
        z.string().check(z.describe('Where the previous page ended (its X-Next-Cursor, or the Link rel="next"); `offset` then counts from there')),
      ),
      sort: z.optional(
        z.string().check(z.describe('Up to three attributes (or characteristic.<name>), comma-separated, `-` before one for descending; the id breaks ties')),
      ),
      ...Object.fromEntries(
        Object.keys(TMF_FILTER_ATTRIBUTES).map((name) => [
          name,
          z.optional(
            z
              .string()
              .check(
                z.describe(
                  `Equality (a comma list matches any value${name === 'id' ? `; at most ${MAX_IDS} ids` : ''}); also ${name}.gt, .gte, .lt, .lte, .eq, .regex (an anchored RE2 pattern)`,
                ),
              ),
          ),
        ]),
      ),
    }),
    z.string(),
  ),
);

interface GenerationSchemas {
  label: string;
  resource: ZodMiniType;
  create: ZodMiniType;
  hubInput: ZodMiniType;
  hub: ZodMiniType;
}

/** Where a generation is served and what its names and handler files carry. */
const generation = <const Base extends string, const Suffix extends '' | 'V3' | 'V5'>(
  base: Base,
  suffix: Suffix,
  aliases: readonly string[],
  schemas: GenerationSchemas,
) => {
  const dir = suffix === '' ? '' : `${suffix.toLowerCase()}/`;
  const at = <const P extends string>(path: P) => ({
    path: `${base}${path}` as `${Base}${P}`,
    ...(aliases.length > 0 ? { aliasPaths: aliases.map((alias) => `${alias}${path}`) } : {}),
  });
  return { suffix, schemas, at, handler: (file: string) => `functions/tmf629/${dir}${file}.ts` };
};

/** The operations every generation has: list, retrieve, create, patch, delete, hub registration and removal. */
const customerOperations = <const Base extends string, const Suffix extends '' | 'V3' | 'V5'>(g: ReturnType<typeof generation<Base, Suffix>>) => {
  const { at, handler, suffix, schemas } = g;
  return {
    listCustomer: {
      name: `listCustomer${suffix}`,
      family: 'tmf629',
      method: 'GET',
      ...at('/customer'),
      handler: handler('list-customer'),
      access: 'read',
      summary: `${schemas.label}: list or find Customer objects (TMF630). \`fields\`; \`limit\` (1–${MAX_LIMIT}); \`offset\`; \`cursor\` (from X-Next-Cursor / Link rel="next"); \`sort\` (\`-\` for descending, ≤ 3 attributes); filters on ${Object.keys(TMF_FILTER_ATTRIBUTES).join(', ')} and characteristic.<name>: \`attr=v1,v2\` (any of), \`attr.gt/.gte/.lt/.lte/.eq=\`, \`attr.regex=\` (anchored RE2, ≤ 256 characters); every parameter must hold, a repeated one too. Full pages: a query the name index answers whole (none, id, one name; offset ≤ ${MAX_OFFSET}) is read from the table, strongly consistent; any other from the search projection (eventually consistent, searchable within a second). X-Total-Count is exact up to 100,000 matches, absent beyond.`,
      request: { query: listQuery },
      searches: true,
      responses: () => ({
        200: { description: 'Success', headers: { 'X-Total-Count': 'integer', 'X-Result-Count': 'integer', 'X-Next-Cursor': 'string', Link: 'string' } },
        ...errors,
      }),
    },
    retrieveCustomer: {
      name: `retrieveCustomer${suffix}`,
      family: 'tmf629',
      method: 'GET',
      ...at('/customer/{id}'),
      handler: handler('retrieve-customer'),
      access: 'read',
      summary: `${schemas.label}: retrieves a Customer by ID (fields)`,
      request: { query: oneCustomerQuery },
      responses: () => ({ 200: { description: 'Success', schema: schemas.resource, headers: { ETag: 'string' } }, ...errors, ...notFound }),
    },
    createCustomer: {
      name: `createCustomer${suffix}`,
      family: 'tmf629',
      method: 'POST',
      ...at('/customer'),
      handler: handler('create-customer'),
      access: 'write',
      summary: `${schemas.label}: creates a Customer (Idempotency-Key honoured; fields)`,
      idempotent: true,
      request: { body: { [json]: schemas.create }, query: oneCustomerQuery },
      responses: () => ({
        201: { description: 'Created', schema: schemas.resource, headers: { Location: 'string', ETag: 'string' } },
        ...errors,
        ...media,
        422: { description: 'Idempotency-Key reused with another body', schema: TmfError },
      }),
    },
    patchCustomer: {
      name: `patchCustomer${suffix}`,
      family: 'tmf629',
      method: 'PATCH',
      ...at('/customer/{id}'),
      handler: handler('patch-customer'),
      access: 'write',
      summary: `${schemas.label}: updates partially a Customer (merge patch or JSON Patch; If-Match honoured; fields)`,
      request: {
        body: { [json]: CustomerMergePatch, 'application/merge-patch+json': CustomerMergePatch, 'application/json-patch+json': JsonPatch },
        query: oneCustomerQuery,
      },
      responses: () => ({
        200: { description: 'Updated', schema: schemas.resource, headers: { ETag: 'string' } },
        ...errors,
        ...notFound,
        ...stale,
        ...media,
      }),
    },
    deleteCustomer: {
      name: `deleteCustomer${suffix}`,
      family: 'tmf629',
      method: 'DELETE',
      ...at('/customer/{id}'),
      handler: handler('delete-customer'),
      access: 'write',
      summary: `${schemas.label}: deletes a Customer (If-Match honoured)`,
      responses: () => ({ 204: { description: 'Deleted' }, ...errors, ...notFound, ...stale }),
    },
    registerListener: {
      name: `registerListener${suffix}`,
      family: 'tmf629',
      method: 'POST',
      ...at('/hub'),
      handler: handler('register-listener'),
      access: 'write',
      wholeTenant: true,
      sealsSecrets: true,
      summary: `${schemas.label}: registers a listener for Customer events, notified in this generation’s format (query: eventType=...); a tenant holds at most 100`,
      request: { body: { [json]: schemas.hubInput } },
      responses: () => ({
        201: { description: 'Subscribed', schema: schemas.hub, headers: { Location: 'string', ETag: 'string' } },
        ...errors,
        422: { description: 'The tenant already holds 100 registrations', schema: TmfError },
      }),
    },
    unregisterListener: {
      name: `unregisterListener${suffix}`,
      family: 'tmf629',
      method: 'DELETE',
      ...at('/hub/{id}'),
      handler: handler('unregister-listener'),
      access: 'write',
      summary: `${schemas.label}: unregisters a listener (If-Match: 412 when it names another version than the registration’s "1")`,
      responses: () => ({ 204: { description: 'Deleted' }, ...errors, ...notFound, ...stale }),
    },
  } as const satisfies Record<string, Operation>;
};

/** A full update (R18's optional operation): v3 has it; v4 offers it as an extension. */
const replaceOperation = <const Base extends string, const Suffix extends '' | 'V3' | 'V5'>(
  g: ReturnType<typeof generation<Base, Suffix>>,
  body: ZodMiniType,
) =>
  ({
    name: `replaceCustomer${g.suffix}`,
    family: 'tmf629',
    method: 'PUT',
    ...g.at('/customer/{id}'),
    handler: g.handler('replace-customer'),
    access: 'write',
    summary: `${g.schemas.label}: replaces a Customer (full update): the body is the whole customer as a create takes it; attributes it leaves out are cleared, attributes this generation does not know are kept (If-Match honoured)`,
    request: { body: { [json]: body }, query: oneCustomerQuery },
    responses: () => ({
      200: { description: 'Replaced', schema: g.schemas.resource, headers: { ETag: 'string' } },
      ...errors,
      ...notFound,
      ...stale,
      ...media,
    }),
  }) as const satisfies Operation;

const v4 = generation(TMF_BASE_PATH, '', [], {
  label: 'v4',
  resource: Customer,
  create: CustomerCreate,
  hubInput: EventSubscriptionInput,
  hub: EventSubscription,
});
const v3 = generation(V3_BASE_PATH, 'V3', [], {
  label: 'v3 (R17/R18)',
  resource: V3Customer,
  create: V3CustomerCreate,
  hubInput: EventSubscriptionInput,
  hub: EventSubscription,
});
const v5 = generation(V5_BASE_PATH, 'V5', [V5_ALIAS_BASE_PATH], {
  label: 'v5',
  resource: V5Customer,
  create: V5CustomerCreate,
  hubInput: V5HubInput,
  hub: V5Hub,
});

/** TMF629 v4.0.0, as the official v4.0.0 swagger names its operations; PUT is an extension. */
export const tmf629 = { ...customerOperations(v4), replaceCustomer: replaceOperation(v4, CustomerReplace) };

/** TMF629 of R17/R18 (v3), with its full update. */
export const tmf629v3 = { ...customerOperations(v3), replaceCustomer: replaceOperation(v3, V3CustomerReplace) };

/** TMF629 v5.0.1, with the v5 hub's GET /hub/{id}. */
export const tmf629v5 = {
  ...customerOperations(v5),
  retrieveListener: {
    name: 'retrieveListenerV5',
    family: 'tmf629',
    method: 'GET',
    ...v5.at('/hub/{id}'),
    handler: v5.handler('retrieve-listener'),
    access: 'read',
    summary: 'v5: retrieves a listener registration (hubGet)',
    responses: () => ({ 200: { description: 'Success', schema: V5Hub, headers: { ETag: 'string' } }, ...errors, ...notFound }),
  },
} as const satisfies Record<string, Operation>;

export type TmfCustomerOperations = ReturnType<typeof customerOperations>;
export type TmfReplaceOperation = ReturnType<typeof replaceOperation>;
