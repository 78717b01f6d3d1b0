import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkAddress, checkCallbackUrl } from '../domain/callback-url.ts';

/**
 * Outbound deliveries (TMF hub notifications, webhooks): a JSON POST to a URL a tenant gave,
 * over a connection that can reach only public addresses (loopback where allowed: the local
 * runtime), with a timeout, following no redirect.
 */

/** A host that resolved to an address no delivery may reach. */
export class UnreachableAddress extends Error {}

/**
 * The deliveries' DNS lookup: resolves the host, refuses it when any of its addresses is not one a
 * delivery may reach, and hands the connection exactly the addresses it checked, so nothing can
 * re-resolve the name in between (no DNS rebinding into the VPC).
 */
export const checkedLookup =
  (allowLoopback: boolean, resolve: typeof dnsLookup = dnsLookup): LookupFunction =>
  (hostname, options, callback) => {
    resolve(hostname, { all: true, family: options.family ?? 0 }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      for (const { address } of addresses) {
        const verdict = checkAddress(address, allowLoopback);
        if (!verdict.ok) return callback(new UnreachableAddress(`${hostname} resolves to ${verdict.reason}`), '', 0);
      }
      if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      const [first] = addresses;
      if (!first) return callback(new UnreachableAddress(`${hostname} has no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };

/** What a delivery attempt came to: the receiver's status (and Retry-After), or why there was none. */
export interface PostOutcome {
  status?: number;
  /** The receiver's Retry-After, as it sent it. */
  retryAfter?: string;
  /** Why no status came back: a refused address, a connection error, the timeout. */
  error?: string;
  /** The refusal was ours (the URL or its addresses are not deliverable): trying again cannot help. */
  refused?: boolean;
  latencyMs: number;
}

export interface PostOptions {
  headers?: Record<string, string>;
  timeoutMs: number;
  allowLoopback: boolean;
}

/** POSTs `body` to `target` over a checked connection; never throws. */
export const postJson = (target: string, body: string, options: PostOptions): Promise<PostOutcome> => {
  const started = performance.now();
  const latencyMs = () => Math.round(performance.now() - started);
  const verdict = checkCallbackUrl(target, options.allowLoopback);
  if (!verdict.ok) return Promise.resolve({ error: `refused: ${verdict.reason}`, refused: true, latencyMs: 0 });
  return new Promise((resolve) => {
    const request = (verdict.url.protocol === 'https:' ? httpsRequest : httpRequest)(verdict.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...options.headers },
      lookup: checkedLookup(options.allowLoopback),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    request.once('response', (response) => {
      response.resume();
      const retryAfter = response.headers['retry-after'];
      const answered = { status: response.statusCode ?? 0, ...(retryAfter ? { retryAfter } : {}) };
      response.once('end', () => resolve({ ...answered, latencyMs: latencyMs() }));
      response.once('error', () => resolve({ ...answered, latencyMs: latencyMs() }));
    });
    request.once('error', (error) => {
      if (error instanceof UnreachableAddress) return resolve({ error: `refused: ${error.message}`, refused: true, latencyMs: latencyMs() });
      const timedOut = error.name === 'AbortError' || error.name === 'TimeoutError';
      resolve({ error: timedOut ? `no answer within ${options.timeoutMs} ms` : `${error.name}: ${error.message}`, latencyMs: latencyMs() });
    });
    request.end(body);
  });
};
