/**
 * Bulk import's round trip (issue 27's "done means"), as a caller drives it over HTTP against a
 * running Rapport (`npm start`): a mixed CSV of `rows` lines — customers, deliberate bad rows,
 * in-file duplicates, activities referring to the row above them — imported, every line accounted
 * for; the same file again (nothing changes); an export of the tenant equal to what was imported;
 * the import reverted (the tenant empty again). Checks throw (node:assert), so the e2e test and the
 * bench's 100,000-row run share it; it answers the seconds each step took.
 */
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';

export interface Api {
  baseUrl: string;
  authorization: string;
}

type Job = { id: string; status: string; counts: Record<string, number>; chunks?: number; failure?: unknown };

/** What line `i` (1-based, after the header) of the file is. */
const kindOf = (i: number): 'bad' | 'duplicate' | 'activity' | 'customer' =>
  i % 50 === 0 ? 'bad' : i % 100 === 7 ? 'duplicate' : i % 20 === 10 ? 'activity' : 'customer';

/** The file, and what an import of it must answer. */
export const roundTripFile = (rows: number) => {
  const lines = ['record,externalId,name,email,type,customerLine,subject'];
  const customers = new Map<string, { name: string; email: string; type: string }>();
  let [activities, bad, duplicates] = [0, 0, 0];
  for (let i = 1; i <= rows; i++) {
    const kind = kindOf(i);
    const type = i % 3 ? 'PERSON' : 'ORGANIZATION';
    if (kind === 'bad') {
      bad++;
      lines.push(`customer,C-${i},Broken ${i},not-an-email,${type},,`);
    } else if (kind === 'duplicate') {
      duplicates++;
      lines.push(`customer,C-${i - 1},"Twice, ${i}",twice${i}@rt.example,${type},,`);
    } else if (kind === 'activity') {
      // Refers to the row above it (line i of the file: row i - 1), a customer of this file.
      activities++;
      lines.push(`activity,A-${i},,,CALL,${i},"Call about ""${i - 1}"""`);
    } else {
      const customer = { name: `Customer ${i}`, email: `c${i}@rt.example`, type };
      customers.set(`C-${i}`, customer);
      lines.push(`customer,C-${i},${customer.name},${customer.email},${type},,`);
    }
  }
  return { csv: `${lines.join('\n')}\n`, customers, activities, bad, duplicates };
};

export const importRoundTrip = async (api: Api, rows: number, log: (line: string) => void = () => {}): Promise<Record<string, number>> => {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${api.baseUrl}${path}`, {
      method,
      headers: { authorization: api.authorization, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${path} answered ${response.status}: ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  const waitFor = async (id: string): Promise<Job> => {
    for (;;) {
      const job = (await call('GET', `/api/v1/imports/${id}`)) as unknown as Job;
      if (['completed', 'failed', 'cancelled'].includes(job.status)) return job;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  const upload = async (file: string): Promise<Job> => {
    const bytes = Buffer.byteLength(file);
    const created = await call('POST', '/api/v1/imports', { object: 'mixed', mode: 'upsert', matchKey: 'externalId', format: 'csv', bytes });
    const { parts, partBytes } = created.upload as { parts: { partNumber: number; url: string }[]; partBytes: number };
    const sent = await Promise.all(
      parts.map(async ({ partNumber, url }) => {
        const put = await fetch(url, { method: 'PUT', body: Buffer.from(file).subarray((partNumber - 1) * partBytes, partNumber * partBytes) });
        assert.equal(put.status, 200, `part ${partNumber}`);
        return { partNumber, etag: put.headers.get('etag')! };
      }),
    );
    await call('POST', `/api/v1/imports/${created.id}/start`, { parts: sent });
    return waitFor(String(created.id));
  };
  const timed = async <T>(label: string, seconds: Record<string, number>, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const answer = await work();
    seconds[label] = (performance.now() - started) / 1000;
    log(`${label}: ${seconds[label].toFixed(1)} s`);
    return answer;
  };
  const seconds: Record<string, number> = {};
  const file = roundTripFile(rows);
  const written = file.customers.size + file.activities;

  // 1. The import: every line accounted for, each bad row and duplicate failed and named.
  const first = await timed('import', seconds, () => upload(file.csv));
  assert.equal(first.status, 'completed', JSON.stringify(first));
  assert.deepEqual(first.counts, { read: rows, created: written, updated: 0, unchanged: 0, failed: file.bad + file.duplicates, skipped: 0, reverted: 0 });
  const failures: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const page = await call('GET', `/api/v1/imports/${first.id}/results?outcome=failed&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    failures.push(...(page.results as Record<string, unknown>[]));
    cursor = page.next as string | undefined;
  } while (cursor);
  for (const failure of failures) {
    const i = Number(failure.line) - 1;
    if (kindOf(i) === 'bad') assert.equal(failure.code, 'INVALID', JSON.stringify(failure));
    else {
      assert.equal(kindOf(i), 'duplicate', JSON.stringify(failure));
      assert.equal(failure.code, 'DUPLICATE_KEY');
      assert.match(String(failure.message), new RegExp(`^Line ${i} has the same externalId`));
    }
  }
  assert.equal(failures.length, file.bad + file.duplicates);

  // 2. The same file again: nothing written.
  const again = await timed('re-run', seconds, () => upload(file.csv));
  assert.deepEqual(again.counts, { read: rows, created: 0, updated: 0, unchanged: written, failed: file.bad + file.duplicates, skipped: 0, reverted: 0 });

  // 3. An export of the tenant: exactly the customers imported, as imported; its count the tenant's.
  const exported = await timed('export', seconds, async () => {
    const created = await call('POST', '/api/v1/exports', { format: 'ndjson' });
    for (;;) {
      const job = await call('GET', `/api/v1/exports/${created.id}`);
      if (job.status === 'completed') return job;
      assert.notEqual(job.status, 'failed', JSON.stringify(job));
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });
  const manifest = exported.manifest as { output: { url: string; count: number }[]; count: number; tenantCount: number };
  assert.equal(manifest.count, file.customers.size);
  assert.equal(manifest.tenantCount, file.customers.size);
  const seen = new Set<string>();
  for (const output of manifest.output) {
    const response = await fetch(output.url);
    assert.equal(response.status, 200);
    const lines = gunzipSync(Buffer.from(await response.arrayBuffer()))
      .toString('utf8')
      .split('\n')
      .filter(Boolean);
    assert.equal(lines.length, output.count);
    for (const line of lines) {
      const customer = JSON.parse(line) as { externalId: string; name: string; email: string; type: string };
      const imported = file.customers.get(customer.externalId);
      assert.ok(imported, `exported ${customer.externalId}, never imported`);
      assert.deepEqual({ name: customer.name, email: customer.email, type: customer.type }, imported);
      assert.ok(!seen.has(customer.externalId), `${customer.externalId} exported twice`);
      seen.add(customer.externalId);
    }
  }
  assert.equal(seen.size, file.customers.size);

  // 4. Reverted: what the import created is gone.
  const reverted = await timed('revert', seconds, async () => {
    const asked = await call('POST', `/api/v1/imports/${first.id}/revert`);
    return waitFor(String(asked.id));
  });
  assert.equal(reverted.status, 'completed', JSON.stringify(reverted));
  assert.equal(reverted.counts.reverted, written);
  const left = await call('GET', '/api/v1/crm/customers?limit=1');
  assert.deepEqual(left, []);
  return seconds;
};
