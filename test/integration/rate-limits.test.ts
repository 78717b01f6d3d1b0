/**
 * Per-tenant and per-user rate limits (issue 25) against DynamoDB Local: the kernel answers 429
 * with `Retry-After` past a limit, in the family's error body, with the IETF `RateLimit-Policy` and
 * `RateLimit` fields on every answer; and several instances leasing from one window never admit
 * more than its limit together.
 */
import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../functions/http/rate-limiter.ts';
import { shardCapacities } from '../../functions/storage/rate-limits.ts';
import { uniqueTenant } from '../../lib/local/direct-call.ts';
import { send } from '../support/send.ts';

/** Waits for the start of a second, so a burst falls in one window. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));

describe('rate limits', () => {
  it('splits a limit over at most four shards, whole tokens, summing to the limit', () => {
    expect(shardCapacities(1)).toEqual([1]);
    expect(shardCapacities(3)).toEqual([1, 1, 1]);
    expect(shardCapacities(10)).toEqual([3, 3, 2, 2]);
    for (const limit of [1, 7, 200, 2000, 99_999]) expect(shardCapacities(limit).reduce((a, b) => a + b, 0)).toBe(limit);
  });

  it('answers 429 with Retry-After past the user’s limit, in the family’s body, and the limit fields on every answer', async () => {
    const tenant = uniqueTenant();
    const rateLimits = { tenantPerSecond: 100, userPerSecond: 5 };
    await nextSecond();
    // All at once, so they fall in one window of one second however slow the machine (one after another, they could span two).
    const answers = await Promise.all(Array.from({ length: 7 }, () => send('listCrmCustomers', { sub: 'busy', tenant, query: {}, rateLimits })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(5);
    expect(statuses).toContain(429);
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toMatchObject({ title: 'Too Many Requests' });
    expect(refused.body.detail).toContain('user');
    for (const answer of answers) {
      expect(answer.headers['ratelimit-policy']).toBe('"tenant";q=100;w=1, "user";q=5;w=1');
      expect(answer.headers.ratelimit).toMatch(/^"user";r=\d+;t=1/);
    }
    // Another user of the tenant is not refused for the first one's requests; TMF629 answers in its own body.
    expect((await send('listCrmCustomers', { sub: 'calm', tenant, query: {}, rateLimits })).status).toBe(200);
    await nextSecond();
    expect((await send('listCrmCustomers', { sub: 'busy', tenant, query: {}, rateLimits })).status).toBe(200);
  });

  it('refuses past the tenant’s limit whoever asks, in every family', async () => {
    const tenant = uniqueTenant();
    const rateLimits = { tenantPerSecond: 4, userPerSecond: 4 };
    await nextSecond();
    const statuses = (await Promise.all(Array.from({ length: 6 }, (_, i) => send('listCustomer', { sub: `user-${i}`, tenant, query: {}, rateLimits })))).map(
      (answer) => answer.status,
    );
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(4);
    const tmf = await send('listCustomer', { sub: 'late', tenant, query: {}, rateLimits });
    expect(tmf.status).toBe(429);
    expect(tmf.body).toMatchObject({ '@type': 'Error', status: '429' });
  });

  it('four instances leasing from one window admit at most its limit together', async () => {
    const tenant = uniqueTenant();
    const limits = { tenantPerSecond: 200, userPerSecond: 200 };
    const instances = [createLimiter(), createLimiter(), createLimiter(), createLimiter()];
    await nextSecond();
    const window = Math.floor(Date.now() / 1000);
    // Each instance tries 100 requests at once, all in the same window (the window is fixed: a test must not depend on the clock).
    const at = window * 1000 + 500;
    const results = await Promise.all(
      instances.flatMap((instance, i) =>
        Array.from({ length: 100 }, (_, j) => instance.admit(tenant, `u${(i * 100 + j) % 7}`, { ...limits, userPerSecond: 1000 }, at)),
      ),
    );
    const admitted = results.filter((states) => states.every((s) => s.admitted)).length;
    expect(admitted).toBeLessThanOrEqual(200);
    expect(admitted).toBeGreaterThan(0);
  });
});
