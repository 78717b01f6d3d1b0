/**
 * The API's public reference, served without a token by its own routes (catalog `docsRoute`):
 * - `GET /openapi.json`: the OpenAPI 3.1 document of every operation (generated from the catalog
 *   when the function is bundled, `lib/docs-files.ts`), its `servers` the API's own address;
 * - `GET /docs`: the reference page, Swagger UI (npm `swagger-ui-dist`, bundled beside this
 *   function: nothing is loaded from a CDN), under a Content-Security-Policy that lets the page run
 *   only its own scripts and styles and call only this API;
 * - `GET /docs/{file}`: the page's script, styles and initializer — a fixed list, nothing else.
 * Text is gzipped for a caller that accepts it; every answer has an ETag and a 304 for a match.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** Where the generated document and Swagger UI's files are: beside the bundle, or (locally) where the runtime wrote them. */
const DIR = process.env.DOCS_DIR ?? import.meta.dirname;

/** The page may run only what this API serves, call only this API, and be framed by nothing. */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Rapport API reference</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
<link rel="stylesheet" href="/docs/reference.css">
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
<noscript>This page needs JavaScript. The document it shows is at <a href="/openapi.json">/openapi.json</a>.</noscript>
<div id="reference"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/reference.js"></script>
</body>
</html>
`;

/** Swagger UI's settings: the document from this API, every operation listed with its id, no call to any other host (no validator badge). */
const INITIALIZER = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#reference',
  deepLinking: true,
  displayOperationId: true,
  docExpansion: 'list',
  defaultModelsExpandDepth: -1,
  filter: true,
  validatorUrl: null,
  persistAuthorization: false,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
`;

const STYLE = 'body { margin: 0; background: #fafafa; }\n';

interface Asset {
  type: string;
  body: Buffer;
  /** Seconds a cache may keep it. */
  maxAge: number;
  etag: string;
}

const asset = (type: string, content: string | Buffer, maxAge: number): Asset => {
  const body = Buffer.from(content);
  return { type, body, maxAge, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
};

let assets: Map<string, Asset> | undefined;
let document: Record<string, unknown> | undefined;

/** Read once per container: a few MB, the same for every request. */
const load = (): Map<string, Asset> => {
  if (assets) return assets;
  document = JSON.parse(readFileSync(join(DIR, 'openapi.json'), 'utf8')) as Record<string, unknown>;
  assets = new Map([
    ['/docs', asset('text/html; charset=utf-8', PAGE, 300)],
    ['/docs/reference.js', asset('text/javascript; charset=utf-8', INITIALIZER, 300)],
    ['/docs/reference.css', asset('text/css; charset=utf-8', STYLE, 300)],
    ['/docs/swagger-ui-bundle.js', asset('text/javascript; charset=utf-8', readFileSync(join(DIR, 'swagger-ui-bundle.js')), 86_400)],
    ['/docs/swagger-ui.css', asset('text/css; charset=utf-8', readFileSync(join(DIR, 'swagger-ui.css')), 86_400)],
    ['/docs/favicon-32x32.png', asset('image/png', readFileSync(join(DIR, 'favicon-32x32.png')), 86_400)],
  ]);
  return assets;
};

const documents = new Map<string, Asset>();

/** The document with this API's address (the host API Gateway answered on) as its server, so a tool that reads it calls the right place. */
const openApiFor = (event: APIGatewayProxyEventV2): Asset => {
  const server = `${event.headers['x-forwarded-proto'] === 'http' ? 'http' : 'https'}://${event.requestContext.domainName}`;
  let found = documents.get(server);
  if (!found) {
    // An API answers on a few names (its own, a custom domain): kept per name, a bounded few.
    if (documents.size >= 8) documents.delete(documents.keys().next().value!);
    found = asset('application/json', JSON.stringify({ ...document, servers: [{ url: server }] }), 300);
    documents.set(server, found);
  }
  return found;
};

const gzipped = new WeakMap<Buffer, Buffer>();

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const known = load();
  const path = event.rawPath;
  const found = path === '/openapi.json' ? openApiFor(event) : known.get(path);
  const security = { 'content-security-policy': DOCS_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
  if (!found || event.requestContext.http.method !== 'GET')
    return {
      statusCode: 404,
      headers: { 'content-type': 'application/json', ...security },
      body: JSON.stringify({ message: `Nothing at ${path}: the reference is at /docs, the document at /openapi.json` }),
    };
  const headers = { 'content-type': found.type, 'cache-control': `public, max-age=${found.maxAge}`, etag: found.etag, vary: 'accept-encoding', ...security };
  if (event.headers['if-none-match']?.split(/\s*,\s*/).includes(found.etag)) return { statusCode: 304, headers };
  if (found.type.startsWith('image/')) return { statusCode: 200, headers, body: found.body.toString('base64'), isBase64Encoded: true };
  if (!/\bgzip\b/.test(event.headers['accept-encoding'] ?? '')) return { statusCode: 200, headers, body: found.body.toString('utf8') };
  let zipped = gzipped.get(found.body);
  if (!zipped) {
    zipped = gzipSync(found.body);
    gzipped.set(found.body, zipped);
  }
  return { statusCode: 200, headers: { ...headers, 'content-encoding': 'gzip' }, body: zipped.toString('base64'), isBase64Encoded: true };
};
