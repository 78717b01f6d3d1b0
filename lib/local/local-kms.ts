import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The local runtime's KMS key, as SECRETS_KEY_ID names it to the functions (the stack's is its key's ARN). */
export const LOCAL_SECRETS_KEY_ID = 'arn:aws:kms:us-east-1:000000000000:key/rapport-local-secrets';

const MAGIC = Buffer.from('RLK1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

type Answer = { status: number; body: unknown };
const refused = (type: string, message: string): Answer => ({ status: 400, body: { __type: type, message } });

/** An encryption context as KMS binds it: the same pairs in any order are the same context. */
const contextBytes = (keyId: string, context: unknown): Buffer =>
  Buffer.from(JSON.stringify([keyId, Object.entries((context as Record<string, string> | undefined) ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]));

/**
 * KMS's GenerateDataKey and Decrypt for one symmetric key, served locally (the handlers' KMS
 * client reaches it through AWS_ENDPOINT_URL_KMS), so the same envelope encryption runs as in AWS
 * (functions/storage/table/sealed-secrets.ts). The key is `masterKey` (kept in `.rapport/`, or made for an
 * in-memory run); a data key's CiphertextBlob is that data key under AES-256-GCM with the key id and
 * the encryption context as additional data, so, as in KMS, it decrypts only with the same context.
 */
export class LocalKms {
  constructor(private readonly masterKey: Buffer) {}

  /** Handles a KMS (TrentService) JSON request; undefined for an operation not served here. */
  handle(operation: string, body: Record<string, unknown>): Answer | undefined {
    switch (operation) {
      case 'GenerateDataKey':
        return this.generateDataKey(body);
      case 'Decrypt':
        return this.decrypt(body);
      default:
        return undefined;
    }
  }

  private knows(keyId: unknown): boolean {
    return keyId === LOCAL_SECRETS_KEY_ID || keyId === LOCAL_SECRETS_KEY_ID.split('/').pop();
  }

  private generateDataKey(body: Record<string, unknown>): Answer {
    if (!this.knows(body.KeyId)) return refused('NotFoundException', `Key '${String(body.KeyId)}' does not exist`);
    const bytes = body.KeySpec === 'AES_256' ? 32 : body.KeySpec === 'AES_128' ? 16 : Number(body.NumberOfBytes);
    if (!Number.isInteger(bytes) || bytes < 1 || bytes > 1024) return refused('ValidationException', 'KeySpec or NumberOfBytes is required');
    const dataKey = randomBytes(bytes);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey, iv);
    cipher.setAAD(contextBytes(LOCAL_SECRETS_KEY_ID, body.EncryptionContext));
    const sealed = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    const blob = Buffer.concat([MAGIC, iv, cipher.getAuthTag(), sealed]);
    return { status: 200, body: { KeyId: LOCAL_SECRETS_KEY_ID, CiphertextBlob: blob.toString('base64'), Plaintext: dataKey.toString('base64') } };
  }

  private decrypt(body: Record<string, unknown>): Answer {
    if (body.KeyId !== undefined && !this.knows(body.KeyId)) return refused('IncorrectKeyException', 'The ciphertext was not made under this key');
    const blob = Buffer.from(String(body.CiphertextBlob ?? ''), 'base64');
    if (blob.length <= MAGIC.length + IV_BYTES + TAG_BYTES || !blob.subarray(0, MAGIC.length).equals(MAGIC))
      return refused('InvalidCiphertextException', 'The ciphertext is not one this key made');
    const iv = blob.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
    const tag = blob.subarray(MAGIC.length + IV_BYTES, MAGIC.length + IV_BYTES + TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.masterKey, iv);
      decipher.setAAD(contextBytes(LOCAL_SECRETS_KEY_ID, body.EncryptionContext));
      decipher.setAuthTag(tag);
      const dataKey = Buffer.concat([decipher.update(blob.subarray(MAGIC.length + IV_BYTES + TAG_BYTES)), decipher.final()]);
      return { status: 200, body: { KeyId: LOCAL_SECRETS_KEY_ID, Plaintext: dataKey.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' } };
    } catch {
      return refused('InvalidCiphertextException', 'The ciphertext does not decrypt with this key and encryption context');
    }
  }
}
