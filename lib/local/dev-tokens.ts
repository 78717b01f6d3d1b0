import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { jwtVerify, SignJWT } from 'jose';
import { SCOPES } from '../../functions/http/operation.ts';

/** Issuer and audience of local dev tokens (the deployed stack takes its own from CDK context). */
export const DEV_ISSUER = 'https://rapport.local/dev';
export const DEV_AUDIENCE = 'rapport';
export const DEV_TOKEN_TTL_SECONDS = 12 * 60 * 60;

/** The local signing key: made on first use, kept in `.rapport/` so `npm run token` and `npm start` agree. */
export const loadDevKey = (stateDir: string): KeyObject => {
  const file = join(stateDir, 'dev-jwt-key.pem');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  return createPrivateKey(readFileSync(file));
};

export interface DevTokenInput {
  sub: string;
  tenant: string;
  scopes?: string[];
  name?: string;
  preferredUsername?: string;
  /** Groups, in the `cognito:groups` claim as Cognito issues them (roles of the same name). */
  groups?: string[];
  expiresInSeconds?: number;
}

/** A dev token as the identity provider would issue it: RS256 (jose), issuer, audience, scopes, tenant claim. */
export const signDevToken = (key: KeyObject, input: DevTokenInput): Promise<string> => {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    tenant: input.tenant,
    scope: (input.scopes ?? [SCOPES.read, SCOPES.write]).join(' '),
    ...(input.name ? { name: input.name } : {}),
    ...(input.preferredUsername ? { preferred_username: input.preferredUsername } : {}),
    ...(input.groups?.length ? { 'cognito:groups': input.groups } : {}),
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'rapport-local' })
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setSubject(input.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + (input.expiresInSeconds ?? DEV_TOKEN_TTL_SECONDS))
    .sign(key);
};

export type Claims = Record<string, unknown>;

// The public half, derived once per key: a new KeyObject per request also made jose import it
// into WebCrypto again each time (its key cache is by object), ~8% of a GET's CPU in the local runtime.
const publicKeys = new WeakMap<KeyObject, KeyObject>();
const publicKeyOf = (key: KeyObject): KeyObject => {
  const known = publicKeys.get(key);
  if (known) return known;
  const derived = createPublicKey(key);
  publicKeys.set(key, derived);
  return derived;
};

/**
 * Verifies a token as API Gateway's JWT authorizer does (jose): RS256 signature under the local
 * key, expiry and not-before, issuer and audience; throws with the reason.
 */
export const verifyDevToken = async (key: KeyObject, token: string): Promise<Claims> => {
  const { payload } = await jwtVerify(token, publicKeyOf(key), {
    algorithms: ['RS256'],
    issuer: DEV_ISSUER,
    audience: DEV_AUDIENCE,
    requiredClaims: ['exp', 'sub'],
  });
  return payload;
};
