import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { instanceCache } from './instance-cache.ts';
import { awsClient } from '../../aws-clients.ts';

/**
 * Signing secrets at rest (webhooks, TMF hub registrations) under envelope encryption: a secret is
 * encrypted with AES-256-GCM under a data key that KMS makes under the stack's key
 * (`SECRETS_KEY_ID`) and hands back encrypted too; the item keeps the ciphertext and the encrypted
 * data key, never the secret or the data key. The record a secret belongs to (tenant, kind, id) is
 * both the data key's KMS encryption context and the cipher's additional data, so a sealed secret
 * copied to another record opens nowhere, and KMS's log names the record of every data key it
 * decrypts. Functions that write secrets seal them (kms:GenerateDataKey); only those that sign open
 * them (kms:Decrypt). Locally the runtime answers KMS with a key of its own (lib/local/local-kms.ts).
 */
export type SecretRecord =
  /** A webhook's current and previous secret. */
  | 'webhook'
  /** A TMF629 hub registration's secret. */
  | 'hub'
  /** A webhook creation's answer, kept for an `Idempotency-Key` replay. */
  | 'webhook-replay';

/** The record a secret belongs to. */
export interface SecretOwner {
  tenantId: string;
  record: SecretRecord;
  id: string;
}

/** A secret as stored: each part base64. */
export interface SealedSecret {
  /** The data key, encrypted by KMS (its CiphertextBlob). */
  dataKey: string;
  iv: string;
  ciphertext: string;
  tag: string;
}

/** A secret as an item holds it: sealed, or plain text written before secrets were sealed (`npm run backfill` seals it). */
export type StoredSecret = SealedSecret | string;

/** Data keys are kept per function instance this long and, sealing, for at most this many secrets. */
export const DATA_KEY_SECONDS = 300;
export const DATA_KEY_USES = 100;

/** The one KMS client. Endpoint and region come from the standard AWS environment variables. */
export const kms = awsClient(new KMSClient({}));

const ALGORITHM = 'aes-256-gcm';

export const isSealedSecret = (value: unknown): value is SealedSecret =>
  typeof value === 'object' &&
  value !== null &&
  ['dataKey', 'iv', 'ciphertext', 'tag'].every((part) => typeof (value as Record<string, unknown>)[part] === 'string');

/** A stored secret read from an item: sealed, plain text, or undefined when it holds none. */
export const storedSecretOf = (value: unknown): StoredSecret | undefined =>
  typeof value === 'string'
    ? value
    : isSealedSecret(value)
      ? { dataKey: value.dataKey, iv: value.iv, ciphertext: value.ciphertext, tag: value.tag }
      : undefined;

const secretsKeyId = (): string => {
  const id = process.env.SECRETS_KEY_ID;
  if (!id) throw new Error('SECRETS_KEY_ID is not set');
  return id;
};

const encryptionContext = (owner: SecretOwner): Record<string, string> => ({ tenant: owner.tenantId, record: owner.record, id: owner.id });
const additionalData = (owner: SecretOwner): Buffer => Buffer.from(JSON.stringify([owner.tenantId, owner.record, owner.id]));

/** A cache key naming the record (and what else the data key depends on), as the loads below read it back. */
const cacheKey = (owner: SecretOwner, more: string): string =>
  JSON.stringify({ owner: { tenantId: owner.tenantId, record: owner.record, id: owner.id }, more });
const fromCacheKey = (key: string) => JSON.parse(key) as { owner: SecretOwner; more: string };

/** Data keys to seal with, per record and KMS key. */
const sealingKeys = instanceCache(
  async (key) => {
    const { owner, more: keyId } = fromCacheKey(key);
    const made = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: encryptionContext(owner) }));
    return { plaintext: Buffer.from(made.Plaintext!), encrypted: Buffer.from(made.CiphertextBlob!).toString('base64') };
  },
  { ttlMs: () => DATA_KEY_SECONDS * 1000, maxUses: DATA_KEY_USES, maxEntries: 1000 },
);

/** Data keys KMS decrypted, per record and encrypted data key. */
const openingKeys = instanceCache(
  async (key) => {
    const { owner, more: dataKey } = fromCacheKey(key);
    const keyId = process.env.SECRETS_KEY_ID;
    const opened = await kms.send(
      new DecryptCommand({
        CiphertextBlob: Buffer.from(dataKey, 'base64'),
        EncryptionContext: encryptionContext(owner),
        ...(keyId ? { KeyId: keyId } : {}),
      }),
    );
    return Buffer.from(opened.Plaintext!);
  },
  { ttlMs: () => DATA_KEY_SECONDS * 1000, maxEntries: 1000 },
);

/** Seals a secret for its record, under the stack's key (or `keyId`). */
export const sealSecret = async (secret: string, owner: SecretOwner, keyId = secretsKeyId()): Promise<SealedSecret> => {
  const dataKey = await sealingKeys.get(cacheKey(owner, keyId));
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, dataKey.plaintext, iv);
  cipher.setAAD(additionalData(owner));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return { dataKey: dataKey.encrypted, iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
};

/** The secret a record holds, opened (a plain-text one as it is); throws when it was sealed for another record. */
export const openSecret = async (stored: StoredSecret, owner: SecretOwner): Promise<string> => {
  if (typeof stored === 'string') return stored;
  const dataKey = await openingKeys.get(cacheKey(owner, stored.dataKey));
  const decipher = createDecipheriv(ALGORITHM, dataKey, Buffer.from(stored.iv, 'base64'));
  decipher.setAAD(additionalData(owner));
  decipher.setAuthTag(Buffer.from(stored.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(stored.ciphertext, 'base64')), decipher.final()]).toString('utf8');
};
