import ipaddr from 'ipaddr.js';

/**
 * Where a TMF hub may deliver. Callbacks must be https; plain http is accepted only for loopback
 * addresses and only where `allowLoopback` is set (the local runtime). An address must be public
 * unicast in ipaddr.js's classification: link-local (metadata services), private, carrier-grade
 * NAT, benchmarking, reserved, multicast, broadcast, unspecified, and the IPv6 forms that embed an
 * IPv4 address (IPv4-mapped and -compatible, NAT64, 6to4, Teredo) are refused everywhere, so a
 * subscription can never make the notifier reach into the network it runs in. A host name is
 * checked again, address by address, each time the notifier connects (functions/tmf629/notify-listeners.ts).
 */
export type CallbackVerdict = { ok: true; url: URL } | { ok: false; reason: string };

const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata', 'instance-data', 'instance-data.ec2.internal']);

/** IPv4-compatible IPv6 addresses (::a.b.c.d, deprecated by RFC 4291), which ipaddr.js counts as unicast. */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/** The range of an address in ipaddr.js's names ('unicast' is the public Internet), with the IPv4-compatible block named too. */
const rangeOf = (address: string): string => {
  const parsed = ipaddr.parse(address);
  const range = parsed.range();
  if (range === 'unicast' && parsed.kind() === 'ipv6' && parsed.match(IPV4_COMPATIBLE)) return 'ipv4Compatible';
  return range;
};

/** May the notifier connect to this IP address? Public unicast; loopback only where allowed. */
export const checkAddress = (address: string, allowLoopback: boolean): { ok: true } | { ok: false; reason: string } => {
  if (!ipaddr.isValid(address)) return { ok: false, reason: `'${address}' is not an IP address` };
  const range = rangeOf(address);
  if (range === 'unicast') return { ok: true };
  if (range === 'loopback' && allowLoopback) return { ok: true };
  return { ok: false, reason: `'${address}' is a ${range} address, not a public one` };
};

const isLoopbackName = (host: string): boolean => host === 'localhost' || host.endsWith('.localhost');

export const checkCallbackUrl = (callback: string, allowLoopback: boolean): CallbackVerdict => {
  let url: URL;
  try {
    url = new URL(callback);
  } catch {
    return { ok: false, reason: `'${callback}' is not an absolute URL` };
  }
  if (url.username || url.password) return { ok: false, reason: 'callback URLs may not carry credentials' };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'callbacks must be http(s)' };
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (METADATA_HOSTS.has(host)) return { ok: false, reason: `'${host}' is a metadata service address` };
  const literal = ipaddr.isValid(host);
  const loopback = literal ? rangeOf(host) === 'loopback' : isLoopbackName(host);
  if (loopback) return allowLoopback ? { ok: true, url } : { ok: false, reason: `'${host}' is a loopback address` };
  if (literal) {
    const verdict = checkAddress(host, false);
    if (!verdict.ok) return verdict;
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'callbacks must use https' };
  return { ok: true, url };
};
