/** Import jobs driven as a caller drives them (test/integration/imports*.test.ts): create, upload through the presigned part URL, start, wait, read. */
import { expect } from 'vitest';
import { importsSettled } from '../../lib/local/imports-local.ts';
import { send } from './send.ts';

export const admin = (tenant: string) => ({ sub: 'importer', tenant });

/** Creates a job for `file`, uploads it through the job's part URL, starts it and waits for its run. */
export const runImport = async (tenant: string, spec: Record<string, unknown>, file: string | Buffer, declared?: number) => {
  const bytes = Buffer.byteLength(file);
  const created = await send('createImport', { ...admin(tenant), body: { object: 'customers', ...spec, bytes: declared ?? bytes } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(created.body.status).toBe('awaiting-upload');
  const [part] = created.body.upload.parts as { partNumber: number; url: string }[];
  const put = await fetch(part!.url, { method: 'PUT', body: file });
  expect(put.status).toBe(200);
  const started = await send('startImport', {
    ...admin(tenant),
    params: { id: created.body.id },
    body: { parts: [{ partNumber: 1, etag: put.headers.get('etag')! }] },
  });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await importsSettled();
  const job = await send('getImport', { ...admin(tenant), params: { id: created.body.id } });
  return job.body as { id: string; status: string; counts: Record<string, number>; chunks?: number; failure?: { code: string; line?: number } };
};

/** Asks for a job's revert and waits for it to end: the revert job as it ends. */
export const revertAndWait = async (tenant: string, id: string) => {
  const asked = await send('revertImport', { ...admin(tenant), params: { id } });
  expect(asked.status, JSON.stringify(asked.body)).toBe(202);
  await importsSettled();
  return (await send('getImport', { ...admin(tenant), params: { id: asked.body.id } })).body;
};

export const resultsOf = async (tenant: string, id: string, outcome?: string) => {
  const all: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const page = await send('listImportResults', {
      ...admin(tenant),
      params: { id },
      query: { limit: '7', ...(outcome ? { outcome } : {}), ...(cursor ? { cursor } : {}) },
    });
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    all.push(...page.body.results);
    cursor = page.body.next;
  } while (cursor);
  return all;
};
