import { toJSONSchema } from 'zod';
import type { ZodMiniType } from 'zod/mini';
import { operations } from '../functions/catalog.ts';
import { pathsOf, scopesFor, type Family, type Operation } from '../functions/http/operation.ts';

const FAMILY_TAGS: Record<Family, string> = {
  tmf629: 'TMF629 Customer Management (v3, v4, v5)',
  crm: 'CRM customers',
  'bian-crm': 'BIAN Customer Relationship Management v12',
  'bian-casemgmt': 'BIAN Customer Case Management v12',
  webhooks: 'Webhooks and the event feed',
  fields: "Custom fields: a tenant's own fields, as data",
  access: 'Who may see and change what: teams, roles, users, settings (rate limits)',
  imports: 'Bulk import: jobs, their uploads and every line’s outcome',
};

/** Definitions that recursive schemas (BIAN's) need, hoisted into components.schemas. */
let components: Record<string, unknown> = {};

/** JSON Schema of a zod schema; its `$defs` (cycles) move to components.schemas under `prefix`. */
const schemaOf = (schema: ZodMiniType, prefix = 'Schema'): Record<string, unknown> => {
  const { $schema: _ignored, $defs, ...rest } = toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  const rewrite = (value: unknown) =>
    JSON.parse(JSON.stringify(value).replace(/"#\/\$defs\/([^"]+)"/g, (_, name: string) => `"#/components/schemas/${prefix}_${name}"`));
  for (const [name, definition] of Object.entries(($defs as Record<string, unknown>) ?? {})) components[`${prefix}_${name}`] = rewrite(definition);
  return rewrite(rest) as Record<string, unknown>;
};

const pathParameters = (path: string) =>
  [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));

/** The query parameters an operation declares (its catalog entry's query schema: names, types, ranges, descriptions); it takes no others. */
const queryParameters = (op: Operation) => {
  if (!op.request?.query) return [];
  const schema = schemaOf(op.request.query, `${op.name}_query`) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, { description, ...property }]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    ...(description === undefined ? {} : { description }),
    schema: property,
  }));
};

/**
 * The OpenAPI 3.1 document of every operation in the catalog, from its entries alone: paths,
 * query parameters and their ranges from its schemas, `If-Match` where it declares a 412,
 * `Idempotency-Key` where it is idempotent.
 */
export const buildOpenApi = (serverUrl?: string): Record<string, unknown> => {
  components = {};
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const answers = op.responses();
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(answers)) {
      responses[status] = {
        description: spec.description,
        ...(spec.headers ? { headers: Object.fromEntries(Object.entries(spec.headers).map(([name, type]) => [name, { schema: { type } }])) } : {}),
        ...(spec.schema ? { content: { 'application/json': { schema: schemaOf(spec.schema, `${op.name}_${status}`) } } } : {}),
      };
    }
    const parameters: unknown[] = [...pathParameters(op.path), ...queryParameters(op)];
    if (op.idempotent) {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'Replays the first response for a repeated key',
        schema: { type: 'string', maxLength: 255 },
      });
    }
    if (412 in answers) {
      parameters.push({
        name: 'If-Match',
        in: 'header',
        required: false,
        description: 'ETag the change is conditional on (412 when stale)',
        schema: { type: 'string' },
      });
    }
    for (const [i, path] of pathsOf(op).entries()) {
      paths[path] ??= {};
      paths[path]![op.method.toLowerCase()] = {
        operationId: i === 0 ? op.name : `${op.name}At${path.split('/')[2]}`,
        summary: op.summary,
        tags: [FAMILY_TAGS[op.family]],
        security: [{ bearer: scopesFor(op.access) }],
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(op.request?.body
          ? {
              requestBody: {
                required: true,
                content: Object.fromEntries(
                  Object.entries(op.request.body).map(([type, schema], i) => [type, { schema: schemaOf(schema, `${op.name}_body${i}`) }]),
                ),
              },
            }
          : {}),
        responses,
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Rapport',
      version: '0.1.0',
      description: 'Customer store behind TMF629 Customer Management (v3, v4 and v5), BIAN CRM and Case Management v12 and a CRM customer API.',
      license: { name: 'UNLICENSED', identifier: 'UNLICENSED' },
    },
    servers: [{ url: serverUrl ?? 'https://api.example.com', description: serverUrl ? 'This deployment' : 'Your deployment' }],
    tags: [...new Set(operations.map((op) => op.family))].map((family) => ({ name: FAMILY_TAGS[family], description: FAMILY_TAGS[family] })),
    security: [{ bearer: [] }],
    components: {
      schemas: components,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: "A JWT with the tenant claim; scopes rapport/read, rapport/write and (for the field API's changes) rapport/admin",
        },
      },
    },
    paths,
  };
};
