/**
 * When webhook deliveries are tried again, and when a receiver is given up on. The schedule is
 * Standard Webhooks' reference one (Svix's): after the first attempt, 5 s, 5 min, 30 min, 2 h,
 * 5 h, 10 h and 10 h — eight attempts over about 27.6 hours — each delay with ±20 % jitter, so
 * receivers coming back from an outage are not hit by every retry at once.
 */
export const RETRY_SCHEDULE_SECONDS = [5, 300, 1800, 7200, 18_000, 36_000, 36_000] as const;
export const MAX_ATTEMPTS = RETRY_SCHEDULE_SECONDS.length + 1;

/** A webhook whose deliveries have all failed for this long is disabled. */
export const DISABLE_AFTER_SECONDS = 86_400;

/** A Retry-After longer than this is not waited for in full (the schedule's longest step). */
const MAX_RETRY_AFTER_SECONDS = 36_000;

/**
 * What an attempt's answer means:
 * - `delivered`: 2xx;
 * - `gone`: 410 — the receiver unsubscribed;
 * - `retry`: no answer (timeout, connection), 408, 429, 5xx;
 * - `failed`: any other status (3xx: redirects are not followed; 4xx: the receiver refuses the
 *   event, and sending it again would not change that), or an address we refuse to reach.
 */
export type Verdict = 'delivered' | 'gone' | 'retry' | 'failed';

export const verdictOf = (outcome: { status?: number; refused?: boolean }): Verdict => {
  if (outcome.refused) return 'failed';
  const status = outcome.status;
  if (status === undefined) return 'retry';
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 410) return 'gone';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'failed';
};

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export const retryAfterMs = (value: string | undefined, now: number): number | undefined => {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
};

/**
 * How long to wait before attempt `attempt + 1`, after attempt `attempt` (1-based) failed, or
 * undefined when it was the last. At least the receiver's Retry-After (up to 10 h); `scale`
 * compresses the whole schedule (the local runtime's WEBHOOK_TIME_SCALE), `random` is in [0, 1).
 */
export const retryDelayMs = (attempt: number, retryAfter: number | undefined, scale: number, random: number): number | undefined => {
  const step = RETRY_SCHEDULE_SECONDS[attempt - 1];
  if (step === undefined) return undefined;
  const scheduled = step * 1000 * scale * (0.8 + 0.4 * random);
  return Math.round(Math.max(scheduled, Math.min(retryAfter ?? 0, MAX_RETRY_AFTER_SECONDS * 1000)));
};
