import { isIP } from 'node:net';

/**
 * Where a TMF hub may deliver. Callbacks must be https; plain http is accepted only for loopback
 * addresses and only where `allowLoopback` is set (the local runtime). Link-local, metadata,
 * private, shared and unspecified addresses are refused everywhere, so a subscription can never
 * make the notifier reach into the network it runs in.
 */
export type CallbackVerdict = { ok: true; url: URL } | { ok: false; reason: string };

const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata', 'instance-data', 'instance-data.ec2.internal']);

const ipv4Parts = (address: string): number[] => address.split('.').map(Number);

/** Classifies an IP address literal. */
export const addressKind = (address: string): 'loopback' | 'private' | 'link-local' | 'unspecified' | 'public' => {
  const version = isIP(address);
  if (version === 4) {
    const [a = 0, b = 0] = ipv4Parts(address);
    if (a === 127) return 'loopback';
    if (a === 0) return 'unspecified';
    if (a === 169 && b === 254) return 'link-local';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)) return 'private';
    if (a >= 224) return 'private';
    return 'public';
  }
  if (version === 6) {
    const lower = address.toLowerCase();
    if (lower === '::1') return 'loopback';
    if (lower === '::') return 'unspecified';
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped) return addressKind(mapped[1]!);
    const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
    if (mappedHex) {
      const [high, low] = [parseInt(mappedHex[1]!, 16), parseInt(mappedHex[2]!, 16)];
      return addressKind(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
    }
    if (/^fe[89ab]/.test(lower)) return 'link-local';
    if (/^f[cd]/.test(lower) || lower.startsWith('fd00:ec2')) return 'private';
    if (lower.startsWith('ff')) return 'private';
    return 'public';
  }
  return 'public';
};

export const checkCallbackUrl = (callback: string, allowLoopback: boolean): CallbackVerdict => {
  let url: URL;
  try {
    url = new URL(callback);
  } catch {
    return { ok: false, reason: `'${callback}' is not an absolute URL` };
  }
  if (url.username || url.password) return { ok: false, reason: 'callback URLs may not carry credentials' };
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const kind = host === 'localhost' || host.endsWith('.localhost') ? 'loopback' : addressKind(host);
  if (METADATA_HOSTS.has(host)) return { ok: false, reason: `'${host}' is a metadata service address` };
  if (kind === 'link-local') return { ok: false, reason: `'${host}' is a link-local address (metadata services live there)` };
  if (kind === 'private') return { ok: false, reason: `'${host}' is a private or reserved address` };
  if (kind === 'unspecified') return { ok: false, reason: `'${host}' is not a routable address` };
  if (kind === 'loopback') {
    if (!allowLoopback) return { ok: false, reason: `'${host}' is a loopback address` };
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'callbacks must be http(s)' };
    return { ok: true, url };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'callbacks must use https' };
  return { ok: true, url };
};
