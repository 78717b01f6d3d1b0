/**
 * `rapport`, the command line, as a script runs it against `npm start`'s runtime: its own process
 * (Node runs the TypeScript as it is), configured once, its output parsed, its exit codes relied on.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCOPES } from '../../functions/http/operation.ts';
import { baseUrl, eventually, token } from '../support/http.ts';

const CLI = join(import.meta.dirname, '..', '..', 'clients', 'typescript', 'src', 'cli.ts');

/** Runs `rapport …` in its own process: its exit code, stdout and stderr. */
const rapport = (args: string[], env: Record<string, string>) =>
  new Promise<{ code: number; out: string; err: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject).on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });

describe('the rapport command line', () => {
  it('is configured once, lists, gets and searches customers, imports a file following its progress, and reads the feed — with exit codes to rely on', async () => {
    const tenant = `cli-${Date.now()}`;
    const env = { XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'rapport-cli-')) };
    const configured = await rapport(
      ['config', '--base-url', baseUrl(), '--token', await token({ tenant, scopes: [SCOPES.read, SCOPES.write, SCOPES.admin] })],
      env,
    );
    expect(configured.code).toBe(0);
    const saved = JSON.parse(configured.out) as { path: string };
    // The token is kept for its owner only.
    expect(statSync(saved.path).mode & 0o777).toBe(0o600);

    const dir = mkdtempSync(join(tmpdir(), 'rapport-import-'));
    const file = join(dir, 'customers.csv');
    writeFileSync(file, 'name,email,type\nCli One,one@cli.example,PERSON\nCli Two,two@cli.example,PERSON\nCli Bad,not-an-email,PERSON\n');
    const imported = await rapport(['import', file, '--match-key', 'email'], env);
    // Completed with a row that failed: exit 3, the job's counts on stdout, its progress and the failures' address on stderr.
    expect(imported.code, imported.err).toBe(3);
    const job = JSON.parse(imported.out) as { id: string; status: string; counts: Record<string, number> };
    expect(job).toMatchObject({ status: 'completed', counts: { read: 3, created: 2, failed: 1 } });
    expect(imported.err).toMatch(/completed: 3 \/ 3 rows, 1 failed/);
    expect(imported.err).toContain(`/api/v1/imports/${job.id}/results?outcome=failed`);
    expect((await rapport(['import', '--job', job.id], env)).code).toBe(3);

    const listed = await rapport(['customers', 'list', '--json'], env);
    expect(listed.code).toBe(0);
    const customers = listed.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; name: string });
    expect(customers.map((c) => c.name).sort()).toEqual(['Cli One', 'Cli Two']);
    const table = await rapport(['customers', 'list'], env);
    expect(table.out.split('\n')[0]).toMatch(/^id\s+name\s+crmStatus\s+ownerId$/);
    const got = await rapport(['customers', 'get', customers[0]!.id, '--json'], env);
    expect(JSON.parse(got.out)).toMatchObject({ id: customers[0]!.id });
    const found = await eventually('the search to find them', async () => {
      const answer = await rapport(['customers', 'search', '--q', 'Cli', '--json'], env);
      return answer.out.trim().split('\n').filter(Boolean).length === 2 ? answer : undefined;
    });
    expect(found.code).toBe(0);

    // An export of the tenant, its files downloaded and checked.
    const out = mkdtempSync(join(tmpdir(), 'rapport-export-'));
    const exported = await rapport(['export', '--format', 'csv', '--out', out], env);
    expect(exported.code, exported.err).toBe(0);
    const manifest = JSON.parse(exported.out) as { count: number; tenantCount: number; files: string[] };
    expect(manifest).toMatchObject({ count: 2, tenantCount: 2 });
    const names = manifest.files.flatMap((name) => {
      const [header, ...rows] = gunzipSync(readFileSync(name)).toString('utf8').trim().split('\n');
      const column = header!.split(',').indexOf('name');
      return rows.map((row) => row.split(',')[column]);
    });
    expect(names.sort()).toEqual(['Cli One', 'Cli Two']);

    const feed = await eventually('the feed to hold the imports’ summary', async () => {
      const answer = await rapport(['events', '--types', 'ImportCompleted'], env);
      return answer.out.includes(job.id) ? answer : undefined;
    });
    expect(feed.code).toBe(0);
    expect(feed.err).toMatch(/resume with --after \S+/);

    // A missing customer: 1, with the API's message; a wrong option: 2 with the usage; no token anywhere: 2.
    const missing = await rapport(['customers', 'get', 'no-such-id'], env);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/404/);
    expect((await rapport(['customers', 'list', '--no-such-option'], env)).code).toBe(2);
    expect((await rapport(['customers', 'list'], { XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'rapport-none-')) })).code).toBe(2);
  }, 120_000);
});
