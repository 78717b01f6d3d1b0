/**
 * TM Forum's own TMF629 v4.0.0 conformance test kit (a contract file: ctk/tmf629), run with newman
 * against the local runtime. Like the kit's runner, the request headers of config.json are set on
 * every request of the collection, with the Authorization header added to them, and the
 * environment's `Customer` URL points at this API.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import newman, { type NewmanRunSummary } from 'newman';
import { baseUrl, TMF, token } from '../support/http.ts';
import { requireContract } from '../support/contracts.ts';

const readJson = (name: string) => JSON.parse(readFileSync(requireContract('ctk', 'tmf629', name), 'utf8'));

interface PostmanItem {
  item?: PostmanItem[];
  request?: { header?: { key: string; value: string }[] };
}

const withHeaders = (items: PostmanItem[], headers: Record<string, string>): void => {
  for (const item of items) {
    if (item.item) withHeaders(item.item, headers);
    if (item.request) {
      const replaced = new Set(Object.keys(headers).map((k) => k.toLowerCase()));
      const kept = (item.request.header ?? []).filter((h) => !replaced.has(h.key.toLowerCase()));
      item.request.header = [...kept, ...Object.entries(headers).map(([key, value]) => ({ key, value }))];
    }
  }
};

const runCtk = async (): Promise<NewmanRunSummary> => {
  const config = readJson('config.json') as { headers: Record<string, string> };
  const collection = readJson('CTK-Customer-4.0.0.postman_collection.json') as { item: PostmanItem[] };
  withHeaders(collection.item, { ...config.headers, Authorization: `Bearer ${await token({ tenant: `ctk-${Date.now()}` })}` });
  const environment = readJson('TMFENV-V4.0.0.postman_environment.json') as { values: { key: string; value: string }[] };
  for (const value of environment.values) if (value.key === 'Customer') value.value = `${baseUrl()}${TMF}/`;
  return new Promise((resolve, reject) =>
    newman.run({ collection: collection as never, environment: environment as never, reporters: [], timeoutRequest: 10_000 }, (error, summary) =>
      error ? reject(error) : resolve(summary),
    ),
  );
};

describe('TMF629 conformance test kit (newman)', () => {
  it('passes 100%', async () => {
    const summary = await runCtk();
    const failures = summary.run.failures.map((f) => `${f.source?.name ?? '?'}: ${f.error.message}`);
    expect(failures).toEqual([]);
    expect(summary.run.stats.requests.total).toBe(10);
    expect(summary.run.stats.requests.failed).toBe(0);
    expect(summary.run.stats.assertions.total).toBeGreaterThan(50);
    expect(summary.run.stats.assertions.failed).toBe(0);
    console.log(
      `CTK: ${summary.run.stats.requests.total} requests, ${summary.run.stats.assertions.total} assertions, ${summary.run.stats.assertions.failed} failed`,
    );
  });
});
