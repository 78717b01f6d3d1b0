import { INDEXED_FILTERS, MAX_IDS, MAX_OFFSET } from '../functions/storage/customer-lists.ts';
import { toJSONSchema } from 'zod';
import type { ZodMiniType } from 'zod/mini';
import { operations } from '../functions/catalog.ts';
import { pathsOf, scopesFor, type Family } from '../functions/http/operation.ts';

const FAMILY_TAGS: Record<Family, string> = {
  tmf629: 'TMF629 Customer Management (v3, v4, v5)',
  crm: 'CRM customers',
  'bian-crm': 'BIAN Customer Relationship Management v12',
  'bian-casemgmt': 'BIAN Customer Case Management v12',
  webhooks: 'Webhooks and the event feed',
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

/** The OpenAPI 3.1 document of every operation in the catalog, from its zod schemas. */
export const buildOpenApi = (serverUrl?: string): Record<string, unknown> => {
  components = {};
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(op.responses)) {
      responses[status] = {
        description: spec.description,
        ...(spec.headers ? { headers: Object.fromEntries(Object.entries(spec.headers).map(([name, type]) => [name, { schema: { type } }])) } : {}),
        ...(spec.schema ? { content: { 'application/json': { schema: schemaOf(spec.schema, `${op.name}_${status}`) } } } : {}),
      };
    }
    const parameters: unknown[] = pathParameters(op.path);
    const querySchema = op.request?.query ? (schemaOf(op.request.query, `${op.name}_query`) as { properties?: Record<string, unknown> }) : undefined;
    for (const [name, schema] of Object.entries(querySchema?.properties ?? {})) parameters.push({ name, in: 'query', required: false, schema });
    if (op.method === 'GET' && op.family === 'tmf629')
      parameters.push({
        name: 'fields',
        in: 'query',
        required: false,
        description: 'Comma-separated first-level attributes to return',
        schema: { type: 'string' },
      });
    if (op.name.startsWith('listCustomer')) {
      parameters.push(
        {
          name: 'offset',
          in: 'query',
          required: false,
          description: `Entries to skip (index keys only, never items): at most ${MAX_OFFSET}; past it, follow the cursor`,
          schema: { type: 'integer', minimum: 0, maximum: MAX_OFFSET },
        },
        { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000 } },
        {
          name: 'cursor',
          in: 'query',
          required: false,
          description: 'Where the previous page ended (its X-Next-Cursor, or the Link rel="next"); `offset` then counts from there',
          schema: { type: 'string' },
        },
        ...INDEXED_FILTERS.map((name) => ({
          name,
          in: 'query',
          required: false,
          description: `Equality filter (a comma list matches any value); runs inside the name index${name === 'id' ? ` (at most ${MAX_IDS} ids)` : ''}. X-Total-Count is given for no filter, a single name, or id.`,
          schema: { type: 'string' },
        })),
      );
    }
    if (op.idempotent) {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'Replays the first response for a repeated key',
        schema: { type: 'string', maxLength: 255 },
      });
    }
    if (op.method === 'PATCH' || op.method === 'PUT' || op.method === 'DELETE') {
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
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT with the tenant claim; scopes rapport/read and rapport/write' },
      },
    },
    paths,
  };
};

const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A readable, self-contained API reference page rendered from the OpenAPI document. */
export const renderDocsPage = (document: Record<string, unknown>): string => {
  const paths = document.paths as Record<
    string,
    Record<
      string,
      {
        operationId: string;
        summary: string;
        tags: string[];
        security: { bearer: string[] }[];
        requestBody?: { content: Record<string, { schema: unknown }> };
        responses: Record<string, { description: string }>;
      }
    >
  >;
  const sections = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const rows = sections.get(op.tags[0]!) ?? [];
      const body = op.requestBody
        ? `<details><summary>Request body (${Object.keys(op.requestBody.content).map(escapeHtml).join(', ')})</summary><pre>${escapeHtml(JSON.stringify(Object.values(op.requestBody.content)[0]?.schema, null, 2))}</pre></details>`
        : '';
      const responses = Object.entries(op.responses)
        .map(([status, r]) => `<code>${status}</code> ${escapeHtml(r.description)}`)
        .join(' · ');
      rows.push(
        `<section id="${op.operationId}"><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3><p>${escapeHtml(op.summary)} <small>(${escapeHtml(op.operationId)}; scope ${escapeHtml(op.security[0]?.bearer.join(', ') ?? '')})</small></p>${body}<p>${responses}</p></section>`,
      );
      sections.set(op.tags[0]!, rows);
    }
  }
  const info = document.info as { title: string; description: string; version: string };
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)} API reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222}h3{font-size:1em;margin:1.4em 0 .2em}.m{display:inline-block;min-width:4.5em;font-weight:700}.get{color:#0a6}.post{color:#06c}.patch{color:#b60}.put{color:#a0a}.delete{color:#c22}pre{background:#f5f5f5;padding:.6em;overflow:auto;font-size:12px}section{border-bottom:1px solid #eee;padding-bottom:.4em}</style></head>
<body><h1>${escapeHtml(info.title)} API reference <small>v${escapeHtml(info.version)}</small></h1><p>${escapeHtml(info.description)} The machine-readable document is at <a href="/openapi.json">/openapi.json</a>.</p>
${[...sections].map(([tag, rows]) => `<h2>${escapeHtml(tag)}</h2>${rows.join('\n')}`).join('\n')}</body></html>`;
};
