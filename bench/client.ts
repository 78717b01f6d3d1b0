/**
 * Table 17: the TypeScript client (issue 28) — its bundle as a browser or a function would ship it
 * (esbuild, minified ESM, gzip), and what a call through it adds to a bare fetch of the same request
 * against the local runtime, the two alternated side by side in one process (the runtime in it too).
 */
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { build } from 'esbuild';
import { startRuntime } from '../lib/local/runtime.ts';
import { loadDevKey, signDevToken } from '../lib/local/dev-tokens.ts';
import { STATE_DIR } from '../lib/local/state-dir.ts';
import { createRapportClient } from '../clients/typescript/src/index.ts';
import { median, percentile, table } from './stats.ts';

export const measureClient = async (calls: number): Promise<string[]> => {
  const bundled = await build({
    entryPoints: [join(import.meta.dirname, '..', 'clients', 'typescript', 'src', 'index.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
  });
  const bytes = bundled.outputFiles[0]!.contents;
  const runtime = await startRuntime({ port: 0, inMemory: true, schedulesEnabled: false });
  try {
    const token = await signDevToken(loadDevKey(STATE_DIR), { sub: 'bench', tenant: 'bench-client' });
    const rapport = createRapportClient({ baseUrl: runtime.baseUrl, token });
    const created = await rapport.POST('/api/v1/crm/customers', { body: { name: 'Bench Client', type: 'PERSON' } });
    const id = created.data!.id;
    const bare: number[] = [];
    const client: number[] = [];
    for (let i = 0; i < calls + 20; i++) {
      const a = performance.now();
      const response = await fetch(`${runtime.baseUrl}/api/v1/crm/customers/${id}`, { headers: { authorization: `Bearer ${token}` } });
      await response.json();
      const b = performance.now();
      await rapport.GET('/api/v1/crm/customers/{id}', { params: { path: { id } } });
      const c = performance.now();
      // The first 20 of each warm up (connections, the handler's caches).
      if (i >= 20) {
        bare.push(b - a);
        client.push(c - b);
      }
    }
    const ms = (xs: number[]) => `${median(xs).toFixed(2)} / ${percentile(xs, 99).toFixed(2)}`;
    return [
      `The bundle (clients/typescript/src/index.ts with openapi-fetch and standardwebhooks; the generated types weigh nothing at run time): ${(bytes.length / 1024).toFixed(1)} KiB minified, ${(gzipSync(bytes).length / 1024).toFixed(1)} KiB gzip.`,
      '',
      `${calls.toLocaleString('en')} GETs of one CRM customer each way, alternated, after 20 of each to warm up; loopback to the local runtime in the same process (the handler's time is in both).`,
      '',
      ...table(
        ['call', 'median / p99 ms', 'added by the client (median)'],
        [
          ['bare fetch + JSON', ms(bare), ''],
          ['client.GET', ms(client), `${(median(client) - median(bare)).toFixed(2)} ms (${((median(client) / median(bare) - 1) * 100).toFixed(0)} %)`],
        ],
      ),
    ];
  } finally {
    await runtime.stop();
  }
};
