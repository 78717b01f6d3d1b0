/**
 * A fetch that tries a request again when Rapport answers 429 (rate limited) or 503 (busy, or a
 * write conflict it could not settle), after the `Retry-After` it sends (seconds or an HTTP date),
 * or else after an exponential backoff with full jitter — but only a request that is safe to send
 * twice: GET, HEAD, PUT, DELETE, or any request carrying an `Idempotency-Key` (a create the server
 * answers once, however often it is sent). Anything else gets the 429/503 back, never a second write.
 */
export interface RetryOptions {
  /** Attempts at most, the first included (5 by default). */
  maxAttempts?: number;
  /** The longest wait between two attempts, in ms (30 s by default): a longer Retry-After is answered as it is. */
  maxDelayMs?: number;
  /** The first backoff without a Retry-After, in ms (200 by default; doubled each attempt, jittered). */
  baseDelayMs?: number;
  /** How to wait (tests pass their own). */
  sleep?: (ms: number) => Promise<void>;
}

const RETRIED = new Set([429, 503]);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** May this request be sent again? */
export const safeToRepeat = (request: Request): boolean => SAFE_METHODS.has(request.method.toUpperCase()) || request.headers.has('idempotency-key');

/** A Retry-After header's wait in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export const retryAfterMs = (value: string | null, now = Date.now()): number | undefined => {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
};

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const retryingFetch = (inner: (request: Request) => Promise<Response>, options: RetryOptions = {}) => {
  const { maxAttempts = 5, maxDelayMs = 30_000, baseDelayMs = 200, sleep = defaultSleep } = options;
  return async (request: Request): Promise<Response> => {
    for (let attempt = 1; ; attempt++) {
      // The body can be read once: each attempt sends a copy.
      const response = await inner(attempt < maxAttempts ? request.clone() : request);
      if (!RETRIED.has(response.status) || attempt >= maxAttempts || !safeToRepeat(request)) return response;
      const asked = retryAfterMs(response.headers.get('retry-after'));
      const wait = asked ?? Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      await response.body?.cancel();
      await sleep(asked === undefined ? wait : Math.max(asked, 0));
    }
  };
};
