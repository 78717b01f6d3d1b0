/**
 * Issue 27's round trip through the local runtime (`npm start`'s process, over HTTP, its files in
 * the local S3): a mixed CSV with bad rows, in-file duplicates and activities referring to the row
 * above them imported, run again (no change), exported (equal to what was imported) and reverted
 * (bench/import-roundtrip-scenario.ts). 1,200 rows here, two chunks; `npm run bench` runs the same
 * scenario on 100,000 (BENCH_ONLY=16).
 */
import { describe, expect, it } from 'vitest';
import { SCOPES } from '../../functions/http/operation.ts';
import { baseUrl, token } from '../support/http.ts';
import { importRoundTrip } from '../../bench/import-roundtrip-scenario.ts';

describe('bulk import round trip', () => {
  it('imports, re-runs, exports and reverts a 1,200-row mixed file, every line accounted for', async () => {
    const tenant = `roundtrip-${Date.now()}`;
    const authorization = `Bearer ${await token({ tenant, sub: 'mover', scopes: [SCOPES.read, SCOPES.write, SCOPES.admin] })}`;
    const seconds = await importRoundTrip({ baseUrl: baseUrl(), authorization }, 1200);
    expect(Object.keys(seconds)).toEqual(['import', 're-run', 'export', 'revert']);
  }, 300_000);
});
