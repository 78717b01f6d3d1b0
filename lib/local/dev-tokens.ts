import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

const b64url = (input: Buffer | string): string => Buffer.from(input).toString('base64url');

export interface DevTokenInput {
  sub: string;
  tenant: string;
  scopes?: string[];
  name?: string;
  preferredUsername?: string;
  expiresInSeconds?: number;
}

export const signDevToken = (key: KeyObject, input: DevTokenInput): string => {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', kid: 'rapport-local' };
  const payload = {
    iss: DEV_ISSUER,
    aud: DEV_AUDIENCE,
    sub: input.sub,
    tenant: input.tenant,
    scope: (input.scopes ?? [SCOPES.read, SCOPES.write]).join(' '),
    ...(input.name ? { name: input.name } : {}),
    ...(input.preferredUsername ? { preferred_username: input.preferredUsername } : {}),
    iat: now,
    exp: now + (input.expiresInSeconds ?? DEV_TOKEN_TTL_SECONDS),
  };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${signingInput}.${b64url(sign('sha256', Buffer.from(signingInput), key))}`;
};

export type Claims = Record<string, unknown>;

/** Verifies signature, expiry and audience, as API Gateway's JWT authorizer does; throws with the reason. */
export const verifyDevToken = (key: KeyObject, token: string): Claims => {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('malformed token');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  let header: { alg?: string };
  let claims: Claims;
  try {
    header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  } catch {
    throw new Error('malformed token');
  }
  if (header.alg !== 'RS256') throw new Error('unsupported algorithm');
  const publicKey = createPublicKey(key);
  if (!verify('sha256', Buffer.from(`${headerPart}.${payloadPart}`), publicKey, Buffer.from(signaturePart, 'base64url'))) {
    throw new Error('invalid signature');
  }
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= now) throw new Error('token expired');
  if (typeof claims.nbf === 'number' && claims.nbf > now) throw new Error('token not yet valid');
  if (claims.iss !== DEV_ISSUER) throw new Error('wrong issuer');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(DEV_AUDIENCE)) throw new Error('wrong audience');
  return claims;
};
