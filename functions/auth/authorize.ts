import middy from '@middy/core';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { isKeyPart } from '../storage/table/limits.ts';
import { instrumentation, logger } from '../observability.ts';
import { callerAccess } from './caller-access.ts';
import type { AuthorizerContext } from '../http/kernel.ts';

/**
 * The API's authorizer (a Lambda REQUEST authorizer, simple responses): verifies the bearer token
 * as the JWT authorizer it replaces did (signature against the issuer's keys, issuer, expiry,
 * audience or Cognito's `client_id`), then decides the caller's access (Cedar, once per caller
 * profile: caller-access.ts) and hands the function what it needs in the authorizer context — the
 * claims it reads and the decision, as JSON. Scopes are checked by the function's kernel, which
 * knows its operation (and answers in the family's error body).
 */

const TENANT_CLAIM = process.env.TENANT_CLAIM ?? 'tenant';
/** The claim whose names are roles (Cognito: `cognito:groups`). */
const GROUPS_CLAIM = process.env.GROUPS_CLAIM ?? 'cognito:groups';

/** The names in a groups claim: a JSON array, or a space- or comma-separated string. */
const groupsOf = (claim: unknown): string[] =>
  (Array.isArray(claim) ? claim.map(String) : typeof claim === 'string' ? claim.split(/[\s,]+/) : []).filter((group) => group !== '');

/**
 * The context of a verified token's claims. A token that names no subject or tenant Rapport can
 * store gets no decision: the function refuses it (401 or 403) in its family's body.
 */
export const contextOf = async (claims: JWTPayload): Promise<AuthorizerContext> => {
  const sub = typeof claims.sub === 'string' ? claims.sub : '';
  const tenant = typeof claims[TENANT_CLAIM] === 'string' ? claims[TENANT_CLAIM] : '';
  const decided = isKeyPart(sub) && isKeyPart(tenant) ? await callerAccess(tenant, sub, groupsOf(claims[GROUPS_CLAIM])) : undefined;
  return {
    sub,
    tenant,
    scope: typeof claims.scope === 'string' ? claims.scope : '',
    username: typeof claims.preferred_username === 'string' ? claims.preferred_username : '',
    name: typeof claims.name === 'string' ? claims.name : '',
    access: decided ? JSON.stringify(decided.decision) : '',
    rateLimits: decided ? JSON.stringify(decided.rateLimits) : '',
  };
};

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
