/**
 * Table 15: bulk import (issue 27) through the local runtime — a CSV of customers uploaded through
 * its presigned URL and run by the runtime (the state machine's three steps, in process): rows a
 * second, DynamoDB requests and units per row (every request this process sent while the job ran:
 * the rows' writes, their match-key reads, and the event pipeline's work behind them); then the
 * splitter alone on a large file, its peak memory over the process's before it (streamed: bounded
 * by a chunk, not by the file). Runs in a process of its own (`runImportsInChild`).
 */
import { startRuntime } from '../lib/local/runtime.ts';
import { loadDevKey, signDevToken } from '../lib/local/dev-tokens.ts';
import { STATE_DIR } from '../lib/local/state-dir.ts';
import { recordRequests } from '../lib/local/request-recorder.ts';
import { childMain, runInChild } from './child.ts';
import { table } from './stats.ts';
import { SCOPES } from '../functions/http/operation.ts';

const csvOf = (rows: number, from = 0, pad = 0): string =>
  [
    'name,email,type,industry',
    ...Array.from({ length: rows }, (_, i) => `Customer ${from + i},c${from + i}@bench.example,${i % 3 ? 'PERSON' : 'ORGANIZATION'},${'x'.repeat(pad)}`),
  ].join('\n');

export const measureImports = async (rows: number, splitMiB: number): Promise<string[]> => {
  const runtime = await startRuntime({ port: 0, inMemory: true, schedulesEnabled: false });
  try {
    const tenant = 'bench-imports';
    const authorization = `Bearer ${await signDevToken(loadDevKey(STATE_DIR), { sub: 'bench', tenant, scopes: [SCOPES.read, SCOPES.write, SCOPES.admin] })}`;
    const api = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${runtime.baseUrl}${path}`, {
        method,
        headers: { authorization, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as Record<string, unknown> & { id: string; status: string; counts: Record<string, number> };
    };
    /** A job over `file`: uploaded in one part, started, followed until it ends; its final state and the seconds from start to end. */
    const run = async (file: string, spec: Record<string, unknown>) => {
      const created = await api('POST', '/api/v1/imports', { object: 'customers', matchKey: 'email', format: 'csv', ...spec, bytes: Buffer.byteLength(file) });
      const [part] = (created.upload as { parts: { url: string }[] }).parts;
      const put = await fetch(part!.url, { method: 'PUT', body: file });
      const started = performance.now();
      await api('POST', `/api/v1/imports/${created.id}/start`, { parts: [{ partNumber: 1, etag: put.headers.get('etag') }] });
      let job = await api('GET', `/api/v1/imports/${created.id}`);
      while (!['completed', 'failed'].includes(job.status)) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        job = await api('GET', `/api/v1/imports/${created.id}`);
      }
      return { job, seconds: (performance.now() - started) / 1000 };
    };
    const rowsTable: (string | number)[][] = [];
    for (const [label, spec] of [
      ['first import: every row created', { mode: 'upsert' }],
      ['the same file again: every row unchanged', { mode: 'upsert' }],
      ['validation only', { mode: 'validate' }],
    ] as const) {
      let outcome: Awaited<ReturnType<typeof run>> | undefined;
      const requests = await recordRequests(async () => {
        outcome = await run(csvOf(rows), spec);
      });
      const { job, seconds } = outcome!;
      const writes = requests.filter((r) => r.write);
      const units = (list: typeof requests, key: 'readUnits' | 'writeUnits') => list.reduce((sum, r) => sum + r[key], 0);
      rowsTable.push([
        label,
        `${job.status}: ${Object.entries(job.counts)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}`,
        (rows / seconds).toFixed(0),
        (requests.length / rows).toFixed(1),
        (writes.length / rows).toFixed(1),
        (units(requests, 'writeUnits') / rows).toFixed(1),
        (units(requests, 'readUnits') / rows).toFixed(1),
      ]);
    }
    // An export of what the first import made: customers a second, requests and units a customer (the parts read their shards at once).
    let exported: { status: string; manifest?: { count: number; output: unknown[] } } | undefined;
    let exportSeconds = 0;
    const exportRequests = await recordRequests(async () => {
      const started = performance.now();
      const created = await api('POST', '/api/v1/exports', { format: 'ndjson' });
      do {
        await new Promise((resolve) => setTimeout(resolve, 50));
        exported = (await api('GET', `/api/v1/exports/${created.id}`)) as typeof exported;
      } while (exported?.status !== 'completed' && exported?.status !== 'failed');
      exportSeconds = (performance.now() - started) / 1000;
    });
    const exportedCount = exported?.manifest?.count ?? 0;
    const exportUnits = exportRequests.reduce((sum, r) => sum + r.readUnits, 0);
    rowsTable.push([
      'export (NDJSON, gzip)',
      `${exported?.status}: ${exportedCount} customers in ${exported?.manifest?.output.length ?? 0} files`,
      (exportedCount / exportSeconds).toFixed(0),
      (exportRequests.length / Math.max(1, exportedCount)).toFixed(2),
      (exportRequests.filter((r) => r.write).length / Math.max(1, exportedCount)).toFixed(2),
      (exportRequests.reduce((sum, r) => sum + r.writeUnits, 0) / Math.max(1, exportedCount)).toFixed(2),
      (exportUnits / Math.max(1, exportedCount)).toFixed(2),
    ]);
    // The splitter alone on a large file, uploaded part by part (64 MiB each, generated as they go: the file is never held whole),
    // a validation job's split with memory sampled while it runs. Its rows' e-mail addresses are all distinct: FirstSeen holds every one.
    const partBytes = 64 * 1024 * 1024;
    const declared = Math.ceil(splitMiB * 1024 * 1024 * 1.01);
    const { splitImport } = await import('../functions/imports/split-import.ts');
    const created = await api('POST', '/api/v1/imports', { object: 'customers', mode: 'validate', matchKey: 'email', format: 'csv', bytes: declared });
    const urls = (created.upload as { parts: { partNumber: number; url: string }[] }).parts;
    const parts: { partNumber: number; etag: string }[] = [];
    let [written, row] = [0, 0];
    for (const { partNumber, url } of urls) {
      if (written >= splitMiB * 1024 * 1024) break;
      const lines: string[] = partNumber === 1 ? ['name,email,type,industry'] : [];
      let size = 0;
      while (size < partBytes && written + size < splitMiB * 1024 * 1024) {
        const line = `Customer ${row},c${row}@bench.example,${row % 3 ? 'PERSON' : 'ORGANIZATION'},${'x'.repeat(100)}`;
        row++;
        lines.push(line);
        size += line.length + 1;
      }
      const body = Buffer.from(`${lines.join('\n')}\n`);
      written += body.length;
      const put = await fetch(url, { method: 'PUT', body });
      parts.push({ partNumber, etag: put.headers.get('etag')! });
    }
    // Started by hand (not through the API): the split alone is measured, not the rows' checks after it.
    const { completeUpload, importKeys } = await import('../functions/storage/files/files.ts');
    const { getImportJob, moveImportJob } = await import('../functions/storage/imports/import-jobs.ts');
    const job = (await getImportJob(tenant, created.id))!;
    await completeUpload(importKeys(tenant, created.id).upload, job.uploadId, parts);
    await moveImportJob(job, ['awaiting-upload'], 'queued');
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const started = performance.now();
    const { chunks } = await splitImport(tenant, created.id);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    // The table FirstSeen grew to for this many keys: the smallest power of two slots at most 3/4 full, 12 bytes each.
    const firstSeenMiB = ((2 ** Math.max(16, Math.ceil(Math.log2((row * 4) / 3))) * 12) / 1024 / 1024).toFixed(0);
    const mib = written / 1024 / 1024;
    return [
      `${rows.toLocaleString('en')} rows a job, 1,000 a chunk, 4 chunks of a job at once, 8 rows of a chunk at once; DynamoDB Local and the runtime in one process with the bench (2 cores). Requests and units are every DynamoDB request this process sent while the job ran, per row: the rows' writes and match-key reads, and the event pipeline behind them (publisher, projector, webhooks).`,
      '',
      ...table(['job', 'outcome', 'rows/s', 'DynamoDB requests per row', 'of them writes', 'write units per row', 'read units per row'], rowsTable),
      '',
      `The splitter alone: a ${mib.toFixed(0)} MiB CSV (${row.toLocaleString('en')} rows, every e-mail address distinct, ${parts.length} parts of 64 MiB, ${chunks} chunks) split in ${seconds.toFixed(1)} s (${(mib / seconds).toFixed(1)} MiB/s); the process's peak RSS rose ${((peak - before) / 1024 / 1024).toFixed(0)} MiB over its ${(before / 1024 / 1024).toFixed(0)} MiB before: the file streams through (a chunk at a time), and the in-file duplicate check holds 12 bytes a row's slot, not the keys (FirstSeen: ${firstSeenMiB} MiB at this many rows).`,
    ];
  } finally {
    await runtime.stop();
  }
};

export const runImportsInChild = (rows: number, splitMiB: number): string[] => runInChild<string[]>(import.meta.url, [String(rows), String(splitMiB)]);

await childMain(import.meta.url, ([rows, splitMiB]) => measureImports(Number(rows), Number(splitMiB)));
