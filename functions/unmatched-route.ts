/**
 * What a request that no operation's route matched gets (the API's `$default` route, and the local
 * gateway's fallback): in the error body of the family whose paths it is nearest to (TMF629's for
 * paths under none),
 * - a path with a trailing slash that names a route without it: 308 to that path (method and body kept);
 * - a path that routes for other methods: 405 with `Allow`;
 * - anything else: 404.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { operations } from './catalog.ts';
import { renderError } from './http/error-bodies.ts';
import { HttpError, notFound } from './http/errors.ts';
import { pathPattern, pathsOf, type Family } from './http/operation.ts';

const routes = operations.flatMap((operation) => pathsOf(operation).map((path) => ({ operation, pattern: pathPattern(path), segments: path.split('/') })));

/** The family whose operation paths share the most leading segments with `path`. */
const familyOf = (path: string): Family => {
  const segments = path.split('/');
  let best: { family: Family; shared: number } = { family: 'tmf629', shared: 1 };
  for (const route of routes) {
    let shared = 0;
    while (
      shared < segments.length &&
      shared < route.segments.length &&
      (segments[shared] === route.segments[shared] || route.segments[shared]!.startsWith('{'))
    )
      shared++;
    if (shared > best.shared) best = { family: route.operation.family, shared };
  }
  return best.family;
};

const methodsAt = (path: string): string[] => [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.operation.method))].sort();

export const answerUnmatched = (method: string, path: string, rawQuery = ''): APIGatewayProxyStructuredResultV2 => {
  const family = familyOf(path);
  const answer = (error: HttpError, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 => ({
    statusCode: error.status,
    headers: { 'content-type': 'application/json;charset=utf-8', ...headers },
    body: JSON.stringify(renderError(family, error)),
  });
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed !== path && trimmed !== '' && methodsAt(trimmed).length > 0) {
    const location = `${trimmed}${rawQuery ? `?${rawQuery}` : ''}`;
    return answer(new HttpError(308, 'PERMANENT_REDIRECT', `This resource is at ${trimmed}, without the trailing slash.`), { location });
  }
  const allowed = methodsAt(path);
  if (allowed.length > 0) {
    return answer(new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}.`), {
      allow: allowed.join(', '),
    });
  }
  return answer(notFound(`No operation at ${method} ${path}.`));
};

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> =>
  answerUnmatched(event.requestContext.http.method, event.rawPath, event.rawQueryString);
