import { leaseTokens, shardCapacities } from '../storage/rate-limits.ts';
import type { RateLimits } from '../storage/access/access-config.ts';

/**
 * Per-tenant and per-user rate limits in the application (issue 25; HTTP APIs have no usage plans):
 * each function instance keeps a bucket per tenant and per user for the current one-second window,
 * filled by leasing a block of the window's tokens from the table (storage/rate-limits.ts). A
 * block is what the instance expects to admit in a tenth of a second, from what it admitted in the
 * window before (at least 0.5 % of the limit, at most 2.5 %), so a busy instance asks rarely and an
 * idle one strands few tokens. The table never hands out more than the limit: instances together
 * admit at most the limit in a window (over-admission only from clocks that disagree at a window's
 * edge), and at most their unused blocks less.
 */

const BLOCK_SHARE = 0.025;
/** The smallest block: 0.5 % of the limit (at least 1), so an instance's first requests in a window do not each lease one token. */
const MIN_BLOCK_SHARE = 0.005;
const HORIZON_SECONDS = 0.1;

interface Bucket {
  window: number;
  tokens: number;
  admitted: number;
  /** Admitted in the window before: what the next blocks are sized from. */
  previous: number;
  /** Shards found spent this window. */
  spent: Set<number>;
  /** The remaining the table last implied (limit less the shard's use times the shards), less what was admitted since. */
  remaining: number;
}

export interface LimitState {
  policy: 'tenant' | 'user';
  limit: number;
  admitted: boolean;
  remaining: number;
  /** Seconds until the window resets. */
  reset: number;
}

const bucketOf = (buckets: Map<string, Bucket>, key: string, window: number, limit: number): Bucket => {
  const known = buckets.get(key);
  if (known?.window === window) return known;
  const bucket = { window, tokens: 0, admitted: 0, previous: known?.window === window - 1 ? known.admitted : 0, spent: new Set<number>(), remaining: limit };
  buckets.set(key, bucket);
  if (buckets.size > 50_000) buckets.delete(buckets.keys().next().value!);
  return bucket;
};

/** One request against one limit: a token from the instance's bucket, leasing a block when it is empty. */
const takeToken = async (
  buckets: Map<string, Bucket>,
  tenantId: string,
  subject: string,
  policy: LimitState['policy'],
  limit: number,
  now: number,
): Promise<LimitState> => {
  const window = Math.floor(now / 1000);
  const reset = 1;
  const bucket = bucketOf(buckets, `${tenantId}\n${subject}`, window, limit);
  if (bucket.tokens === 0) {
    const capacities = shardCapacities(limit);
    const block = Math.max(Math.ceil(limit * MIN_BLOCK_SHARE), Math.min(Math.ceil(bucket.previous * HORIZON_SECONDS), Math.ceil(limit * BLOCK_SHARE)));
    const start = Math.floor(Math.random() * capacities.length);
    for (let i = 0; i < capacities.length && bucket.tokens === 0; i++) {
      const shard = (start + i) % capacities.length;
      if (bucket.spent.has(shard)) continue;
      const { got, used } = await leaseTokens(tenantId, subject, window, shard, capacities[shard]!, block);
      if (got === 0) bucket.spent.add(shard);
      bucket.tokens += got;
      bucket.remaining = Math.max(0, limit - Math.round((used / capacities[shard]!) * limit));
    }
  }
  if (bucket.tokens === 0) return { policy, limit, admitted: false, remaining: 0, reset };
  bucket.tokens--;
  bucket.admitted++;
  bucket.remaining = Math.max(0, bucket.remaining - 1);
  return { policy, limit, admitted: true, remaining: bucket.remaining + bucket.tokens, reset };
};

export interface Limiter {
  /** The caller's request against their user limit, then their tenant's: the states of both (a refused one stops the other). */
  admit(tenantId: string, user: string, limits: RateLimits, now?: number): Promise<LimitState[]>;
}

/** A function instance's limiter: its own buckets over the table's shared windows (the bench and tests make several, as instances). */
export const createLimiter = (): Limiter => {
  const buckets = new Map<string, Bucket>();
  return {
    async admit(tenantId, user, limits, now = Date.now()) {
      const userState = await takeToken(buckets, tenantId, `U:${user}`, 'user', limits.userPerSecond, now);
      if (!userState.admitted) return [userState];
      return [userState, await takeToken(buckets, tenantId, 'TENANT', 'tenant', limits.tenantPerSecond, now)];
    },
  };
};

/** This instance's limiter. */
export const limiter = createLimiter();

/**
 * The IETF header fields (draft-ietf-httpapi-ratelimit-headers-10): the policies (quota per
 * one-second window) and, for each, what remains and when it resets.
 */
export const rateLimitHeaders = (limits: RateLimits, states: LimitState[]): Record<string, string> => ({
  'ratelimit-policy': `"tenant";q=${limits.tenantPerSecond};w=1, "user";q=${limits.userPerSecond};w=1`,
  ratelimit: states.map((state) => `"${state.policy}";r=${state.remaining};t=${state.reset}`).join(', '),
});
