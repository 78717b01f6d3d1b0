import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Event } from '../../functions/http/kernel.ts';
import { contextOf } from '../../functions/auth/authorizer-context.ts';
import { docsRoute, operations } from '../../functions/catalog.ts';
import { answerUnmatched } from '../../functions/unmatched-route.ts';
import { pathPattern, pathsOf, type Operation } from '../../functions/http/operation.ts';
import { verifyDevToken } from './dev-tokens.ts';
import { invoke } from './functions.ts';

/** API Gateway's own limit on a request payload. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** Literal segments win over parameters (as in API Gateway): `/customers/my` before `/customers/{id}`. */
const routes = operations
  .flatMap((operation) => pathsOf(operation).map((path) => ({ operation, path, pattern: pathPattern(path), params: (path.match(/\{/g) ?? []).length })))
  .sort((a, b) => a.params - b.params);

export interface GatewayResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

const docsPatterns = docsRoute.paths.map((path) => ({ path, pattern: pathPattern(path) }));

const gatewayError = (status: number, message: string): GatewayResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ message }),
});

export const matchRoute = (method: string, path: string): { operation: Operation; route: string; params: Record<string, string> } | undefined => {
  for (const { operation, path: route, pattern } of routes) {
    if (operation.method !== method) continue;
    const match = pattern.exec(path);
    if (match) return { operation, route, params: Object.fromEntries(Object.entries(match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)])) };
  }
  return undefined;
};

const headerValues = (request: IncomingMessage): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
};

/**
 * The local HTTP API: matches a catalog route, verifies the bearer token (signature, expiry,
 * audience) and decides the caller's access with the deployed authorizer's own code
 * (functions/auth/authorize.ts), and invokes the route's handler with a real API Gateway v2 event
 * carrying the authorizer's context (the function checks the route's scope, as deployed).
 */
export const handleApiRequest = async (request: IncomingMessage, body: Buffer, key: KeyObject): Promise<GatewayResponse> => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = (request.method ?? 'GET').toUpperCase();
  const docs = method === 'GET' ? docsPatterns.find(({ pattern }) => pattern.test(url.pathname)) : undefined;
  if (docs) {
    // The public reference's routes: no authorizer (functions/docs/serve-docs.ts).
    return responseOf(
      (await invoke(docsRoute.name, docsRoute.handler, eventOf(request, url, method, `GET ${docs.path}`, {}, body))) as APIGatewayProxyStructuredResultV2,
    );
  }
  const route = matchRoute(method, url.pathname);
  if (!route) {
    // API Gateway's `$default` route: the same function answers (functions/unmatched-route.ts).
    return responseOf(answerUnmatched(method, url.pathname, url.search.replace(/^\?/, '')));
  }
  if (body.length > MAX_PAYLOAD_BYTES) return gatewayError(413, 'Request Entity Too Large');
  const token = /^Bearer\s+(.+)$/i.exec(headerValues(request).authorization ?? '')?.[1];
  if (!token) return gatewayError(401, 'Unauthorized');
  let claims: Record<string, unknown>;
  try {
    claims = await verifyDevToken(key, token);
  } catch {
    return gatewayError(401, 'Unauthorized');
  }
  const context = await contextOf(claims);

  const event = eventOf(request, url, method, `${route.operation.method} ${route.route}`, route.params, body);
  const authorized: Event = { ...event, requestContext: { ...event.requestContext, authorizer: { lambda: context } } };
  return responseOf((await invoke(route.operation.name, route.operation.handler, authorized)) as APIGatewayProxyStructuredResultV2);
};

/** A real API Gateway v2 event of a request (a route with the authorizer adds its context). */
const eventOf = (
  request: IncomingMessage,
  url: URL,
  method: string,
  routeKey: string,
  params: Record<string, string>,
  body: Buffer,
): APIGatewayProxyEventV2 => {
  const headers = headerValues(request);
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  const text = body.toString('utf8');
  const binary = body.length > 0 && Buffer.from(text, 'utf8').length !== body.length;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers: { ...headers, 'x-forwarded-proto': 'http' },
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(params).length > 0 ? { pathParameters: params } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0]!,
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: binary ? body.toString('base64') : text } : {}),
    isBase64Encoded: binary,
  };
};

/** What API Gateway sends back of a function's answer: a base64 body as its bytes. */
const responseOf = (result: APIGatewayProxyStructuredResultV2): GatewayResponse => ({
  status: result.statusCode ?? 200,
  headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)])),
  body: result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''),
});
