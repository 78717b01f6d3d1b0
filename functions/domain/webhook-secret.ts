/**
 * Webhook signing secrets in the Standard Webhooks format: `whsec_` and the base64 of 24 to 64
 * random bytes (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md).
 */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

export const checkWebhookSecret = (secret: string): string | undefined => {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) return `a secret starts with '${WEBHOOK_SECRET_PREFIX}'`;
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return `a secret is '${WEBHOOK_SECRET_PREFIX}' and base64`;
  const bytes = Buffer.from(encoded, 'base64').length;
  if (bytes < 24 || bytes > 64) return `a secret holds 24 to 64 bytes, not ${bytes}`;
  return undefined;
};
