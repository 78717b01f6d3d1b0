import type { JWTPayload } from 'jose';
import { isKeyPart } from '../storage/table/limits.ts';
import { callerAccess } from './caller-access.ts';
import type { AuthorizerContext } from '../http/kernel.ts';

/**
 * What the authorizer hands a function for a verified token (authorize.ts; the local runtime's
 * gateway hands the same): the claims the function reads and the caller's access decision
 * (caller-access.ts) as JSON.
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
