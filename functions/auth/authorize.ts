import middy from '@middy/core';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { instrumentation, logger } from '../observability.ts';
import { warmGrants } from './access-policies.ts';
import { contextOf } from './authorizer-context.ts';
import type { AuthorizerContext } from '../http/kernel.ts';

/**
 * The API's authorizer (a Lambda REQUEST authorizer, simple responses): verifies the bearer token
 * as the JWT authorizer it replaces did (signature against the issuer's keys, issuer, expiry,
 * audience or Cognito's `client_id`), then decides the caller's access (caller-access.ts) and
 * hands the function what it needs in the authorizer context (authorizer-context.ts). Scopes are
 * checked by the function's kernel, which knows its operation (and answers in the family's error
 * body). Cedar is compiled and asked what the built-in roles grant while the function initialises
 * (Lambda's init phase, at full CPU), so no caller's request waits for it.
 */

try {
  await warmGrants();
} catch (error) {
  // The first request asks again (access-policies.ts keeps no failed grant).
  logger.warn('Cedar could not be prepared at init', { error: (error as Error).message });
}

const issuer = (): string => {
  const value = process.env.JWT_ISSUER;
  if (!value) throw new Error('JWT_ISSUER is not set');
  return value;
};
let keys: ReturnType<typeof createRemoteJWKSet> | undefined;
const issuerKeys = () => (keys ??= createRemoteJWKSet(new URL(process.env.JWKS_URL ?? `${issuer().replace(/\/$/, '')}/.well-known/jwks.json`)));
const audiences = (): string[] => (process.env.JWT_AUDIENCE ?? '').split(',').filter(Boolean);

/** A token's claims if it is valid: RS256 under the issuer's keys, issuer, not expired, for one of the audiences (`aud`, or Cognito's `client_id`). */
const verified = async (token: string): Promise<JWTPayload | undefined> => {
  try {
    const { payload } = await jwtVerify(token, issuerKeys(), { issuer: issuer(), algorithms: ['RS256'], requiredClaims: ['exp', 'sub'] });
    const named = [
      ...(Array.isArray(payload.aud) ? payload.aud : payload.aud ? [payload.aud] : []),
      ...(typeof payload.client_id === 'string' ? [payload.client_id] : []),
    ];
    return named.some((audience) => audiences().includes(audience)) ? payload : undefined;
  } catch (error) {
    logger.info('token refused', { reason: (error as Error).message });
    return undefined;
  }
};

const authorize = async (
  event: APIGatewayRequestAuthorizerEventV2,
): Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext | Record<string, never>>> => {
  const token = /^Bearer\s+(.+)$/i.exec(event.headers?.authorization ?? '')?.[1];
  const claims = token ? await verified(token) : undefined;
  if (!claims) return { isAuthorized: false, context: {} };
  return { isAuthorized: true, context: await contextOf(claims) };
};

export const handler = middy(authorize).use(instrumentation());
