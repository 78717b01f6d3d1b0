/**
 * `@rapport/client` against `npm start`'s runtime, as a caller uses it: a thousand customers made
 * (each POST with its own Idempotency-Key) and read back through the cursor list and a search page
 * after page, the event feed read from its start, and requests past the caller's rate limit
 * answered 429 and retried after their Retry-After until each is served, and concurrent
 * read-modify-writes under If-Match that lose nothing.
 */
import { describe, expect, it } from 'vitest';
import { changeIfMatch, createRapportClient } from '../../clients/typescript/src/index.ts';
import { SCOPES } from '../../functions/http/operation.ts';
import { baseUrl, eventually, http, token } from '../support/http.ts';

const inBatches = async <T>(count: number, size: number, make: (i: number) => Promise<T>): Promise<T[]> => {
  const all: T[] = [];
  for (let i = 0; i < count; i += size) all.push(...(await Promise.all(Array.from({ length: Math.min(size, count - i) }, (_, j) => make(i + j)))));
  return all;
};

describe('the TypeScript client against the local runtime', () => {
  it('creates 1,000 customers and pages through them, searches them, and reads their events from the feed', async () => {
    const tenant = `client-${Date.now()}`;
    const rapport = createRapportClient({ baseUrl: baseUrl(), token: await token({ tenant }) });
    const created = await inBatches(1000, 25, async (i) => {
      const { data, error, response } = await rapport.POST('/api/v1/crm/customers', {
        body: { name: `Client ${String(i).padStart(4, '0')}`, type: 'PERSON', tags: i % 10 === 0 ? ['tenth'] : [] },
      });
      expect(response.status, JSON.stringify(error)).toBe(201);
      return data!.id;
    });
    const listed: string[] = [];
    for await (const customer of rapport.customers({ limit: 200 })) listed.push(customer.id);
    expect(listed).toHaveLength(1000);
    expect(new Set(listed)).toEqual(new Set(created));

    // Waited for by what it shows, not by the runtime going idle: other tests' imports keep the shared runtime's relay busy.
    const tenth = await eventually(
      'the tagged customers searchable',
      async () => {
        const found: string[] = [];
        for await (const customer of rapport.search({ filter: { field: 'tags', op: 'containsAny', value: ['tenth'] }, limit: 30 })) found.push(customer.name);
        return found.length === 100 ? found : undefined;
      },
      60_000,
    );
    expect(tenth).toContain('Client 0990');

    const createdEvents = await eventually(
      'every create in the feed',
      async () => {
        const seen = new Set<string>();
        for await (const page of rapport.feed({ types: ['CustomerCreated'] })) for (const event of page.events) seen.add(event.subject.id);
        return seen.size === 1000 ? seen : undefined;
      },
      60_000,
    );
    expect(createdEvents).toEqual(new Set(created));
  }, 180_000);

  it('retries what the rate limit refused after its Retry-After, until every request is served', async () => {
    const tenant = `client-limited-${Date.now()}`;
    const admin = await token({ tenant, scopes: [SCOPES.read, SCOPES.write, SCOPES.admin] });
    const settings = await http('GET', '/api/v1/access/settings', { token: admin });
    expect(settings.status).toBe(200);
    const limited = await http('PUT', '/api/v1/access/settings', {
      token: admin,
      body: { defaultRole: settings.body.defaultRole, rateLimits: { tenantPerSecond: 100, userPerSecond: 2 } },
      headers: { 'if-match': settings.headers.get('etag') ?? '*' },
    });
    expect([200, 201], JSON.stringify(limited.body)).toContain(limited.status);
    const statuses: number[] = [];
    const rapport = createRapportClient({
      baseUrl: baseUrl(),
      token: await token({ tenant, sub: 'busy' }),
      fetch: async (request) => {
        const response = await fetch(request);
        statuses.push(response.status);
        return response;
      },
      maxAttempts: 10,
    });
    const answers = await Promise.all(Array.from({ length: 8 }, () => rapport.GET('/api/v1/crm/customers', { params: { query: { limit: 1 } } })));
    expect(answers.map((a) => a.response.status)).toEqual(Array(8).fill(200));
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
  }, 60_000);

  it('lets concurrent writers each add a delivery address under If-Match, none losing another’s', async () => {
    const rapport = createRapportClient({ baseUrl: baseUrl(), token: await token({ tenant: `client-ifmatch-${Date.now()}` }) });
    const { data } = await rapport.POST('/api/v1/crm/customers', { body: { name: 'Contended', type: 'ORGANIZATION' } });
    const path = { params: { path: { id: data!.id } } };
    const cities = Array.from({ length: 6 }, (_, i) => `City ${i}`);
    // Six read-modify-writes at once on one customer: each that lost a race reads again and adds its address to the list there now.
    await Promise.all(
      cities.map((city) =>
        changeIfMatch(
          () => rapport.GET('/api/v1/crm/customers/{id}', path),
          (customer, headers) =>
            rapport.PATCH('/api/v1/crm/customers/{id}', { ...path, headers, body: { deliveryAddresses: [...(customer.deliveryAddresses ?? []), { city }] } }),
          20,
        ),
      ),
    );
    const { data: after } = await rapport.GET('/api/v1/crm/customers/{id}', path);
    expect((after!.deliveryAddresses ?? []).map((address) => address.city).sort()).toEqual(cities);
  }, 60_000);
});
