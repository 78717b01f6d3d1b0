import type { ZodMiniType } from 'zod/mini';

export type Family = 'tmf629' | 'crm' | 'bian-crm' | 'bian-casemgmt';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** Read operations get read-only table access and the read scope; write operations both. */
export type Access = 'read' | 'write';

export interface ResponseSpec {
  description: string;
  schema?: ZodMiniType;
  headers?: Record<string, string>;
}

/** One entry of the operation catalog: the single source of truth for routes, functions, docs and tests. */
export interface Operation {
  /** Unique name; also the function's logical id. */
  name: string;
  family: Family;
  method: HttpMethod;
  /** Path template with `{param}` placeholders, as API Gateway writes it. */
  path: string;
  /** Handler file relative to the project root; it exports `handler`. */
  handler: string;
  access: Access;
  summary: string;
  request?: {
    /** Request body schema per accepted content type (415 for any other). */
    body?: Record<string, ZodMiniType>;
    /** Query parameters, documented and validated. */
    query?: ZodMiniType;
  };
  responses: Record<number, ResponseSpec>;
  /** Creates honour `Idempotency-Key`. */
  idempotent?: boolean;
}

/** Scope names of the two access levels, as the JWT authorizer checks them. */
export const SCOPES: Record<Access, string> = { read: 'rapport/read', write: 'rapport/write' };

/** A route's required scopes: a write route needs the write scope, a read route the read scope. */
export const scopesFor = (access: Access): string[] => [SCOPES[access]];

/** `{id}` → `:id`-free regex used by the local gateway and the route tests. */
export const pathPattern = (path: string): RegExp => new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, '(?<$1>[^/]+)')}$`);

/** A catalog entry builder for one family whose handlers live in `functions/<folder>/<file>.ts`. */
export const operationsOf =
  (family: Family, folder: string, basePath = '') =>
  (
    name: string,
    method: HttpMethod,
    path: string,
    file: string,
    access: Access,
    summary: string,
    responses: Operation['responses'],
    request?: Operation['request'],
  ): Operation => ({
    name,
    family,
    method,
    path: `${basePath}${path}`,
    handler: `functions/${folder}/${file}.ts`,
    access,
    summary,
    responses,
    ...(request ? { request } : {}),
  });
