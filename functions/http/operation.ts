import * as z from 'zod/mini';
import type { output, ZodMiniType } from 'zod/mini';

export type Family = 'tmf629' | 'crm' | 'bian-crm' | 'bian-casemgmt' | 'webhooks' | 'fields' | 'access' | 'imports';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/**
 * Read operations get read-only table access and the read scope; write operations both; admin
 * operations (a tenant's configuration: its custom fields) the admin scope and write access.
 */
export type Access = 'read' | 'write' | 'admin';

export interface ResponseSpec {
  description: string;
  schema?: ZodMiniType;
  headers?: Record<string, string>;
}

/**
 * One entry of the operation catalog: the single source of truth for routes, functions, docs and
 * tests. A family writes its entries as object literals in `functions/<family>/operations.ts`
 * (`{ … } as const satisfies Record<string, Operation>`), so each keeps its literal path and
 * schemas and the handler's request is typed from them (`OperationRequest`). The handler file is
 * `functions/<family>/<name in kebab case, without the family's word>.ts` (test/unit/catalog.test.ts).
 */
export interface Operation {
  /** Unique name; also the function's logical id. */
  name: string;
  family: Family;
  method: HttpMethod;
  /** Path template with `{param}` placeholders, as API Gateway writes it. */
  path: string;
  /** Further paths the same function answers (TMF629 v5 under both of its base paths), each its own route. */
  aliasPaths?: readonly string[];
  /** Handler file relative to the project root; it exports `handler`. */
  handler: string;
  access: Access;
  summary: string;
  request?: {
    /** Request body schema per accepted content type (415 for any other). */
    body?: Record<string, ZodMiniType>;
    /**
     * Query parameters, documented and validated: an object schema, strict, so a parameter it does
     * not name is a 400. Without one the operation takes no query parameters (400 for any).
     */
    query?: ZodMiniType;
  };
  /**
   * What it answers, by status; a 412 says it honours `If-Match` (OpenAPI declares the header from
   * it). Built when asked for (the OpenAPI document, the stack): a function's cold start does not
   * build the answers of its family's other operations.
   */
  responses: () => Record<number, ResponseSpec>;
  /** Creates honour `Idempotency-Key`. */
  idempotent?: boolean;
  /**
   * It hands out the tenant's events as they are (every customer, every field): only a caller whose
   * roles read every customer and every field may call it (the kernel answers 403 otherwise).
   */
  wholeTenant?: boolean;
  /** It stores signing secrets, sealed (functions/storage/table/sealed-secrets.ts): its function may have KMS make data keys. */
  sealsSecrets?: boolean;
  /** It reads the search projection (functions/storage/search/): its function reaches the search database. */
  searches?: boolean;
  /** It reaches the files bucket (functions/storage/files/) and starts import runs: its function has the files role. */
  files?: boolean;
}

/** Every path an operation answers: its own and its aliases. */
export const pathsOf = (operation: Operation): readonly string[] => [operation.path, ...(operation.aliasPaths ?? [])];

/** Scope names of the access levels, as the JWT authorizer checks them. */
export const SCOPES: Record<Access, string> = { read: 'rapport/read', write: 'rapport/write', admin: 'rapport/admin' };

/** Does the operation write (write and admin operations)? Its function gets the write role and the caller is remembered. */
export const writes = (operation: Pick<Operation, 'access'>): boolean => operation.access !== 'read';

/** A route's required scope: its access level's (a write route the write scope, an admin route the admin scope, …). */
export const scopesFor = (access: Access): string[] => [SCOPES[access]];

/** `{id}` → `:id`-free regex used by the local gateway and the route tests. */
export const pathPattern = (path: string): RegExp => new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, '(?<$1>[^/]+)')}$`);

/** The names of a path template's `{param}` placeholders. */
type ParamNames<Path extends string> = Path extends `${string}{${infer Name}}${infer Rest}` ? Name | ParamNames<Rest> : never;

/** Path parameters of an operation, by name, from its path template. */
export type ParamsOf<O extends Operation> = { [Name in ParamNames<O['path']>]: string };

/** The parsed body of an operation: the output of its body schema (any accepted content type), or undefined without one. */
export type BodyOf<O extends Operation> = O['request'] extends { body: infer Bodies extends Record<string, ZodMiniType> }
  ? output<Bodies[keyof Bodies]>
  : undefined;

/** The parsed query of an operation: the output of its query schema, or nothing without one. */
export type QueryOf<O extends Operation> = O['request'] extends { query: infer Query extends ZodMiniType } ? output<Query> : Record<never, never>;

/** The query of an operation that declares none: no parameter at all. */
export const NO_QUERY = z.strictObject({});

/**
 * A whole-number query parameter from `min` to `max`, `fallback` when absent: the kernel refuses
 * any other value (400 naming the range and, given `beyond`, what to do past it) and hands the
 * handler the number. The range is declared here, in the catalog entry, and OpenAPI shows it.
 */
export const wholeNumberParameter = ({
  min,
  max,
  fallback,
  description,
  beyond,
}: {
  min: number;
  max: number;
  fallback: number;
  description: string;
  beyond?: string;
}) => {
  const inRange = (text: string) => /^[0-9]{1,15}$/.test(text) && Number(text) >= min && Number(text) <= max;
  const schema = z.pipe(
    z.optional(z.string().check(z.refine(inRange, { message: `must be a whole number from ${min} to ${max}${beyond ? `; ${beyond}` : ''}` }))),
    z.transform((text) => (text === undefined ? fallback : Number(text))),
  );
  z.globalRegistry.add(schema, {
    type: 'integer',
    minimum: min,
    maximum: max,
    description: `${description} (default ${fallback}${beyond ? `; past ${max}, ${beyond}` : ''})`,
  });
  return schema;
};

/** A page's `limit`: 1 to `max` entries, `fallback` without one. */
export const limitParameter = (max: number, fallback: number) => wholeNumberParameter({ min: 1, max, fallback, description: 'Entries per page' });
