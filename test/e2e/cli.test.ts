/**
 * `rapport`, the command line, as a script runs it against `npm start`'s runtime: its own process
 * (Node runs the TypeScript as it is), configured once, its output parsed, its exit codes relied on.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCOPES } from '../../functions/http/operation.ts';
import { baseUrl, eventually, startListener, token } from '../support/http.ts';

const CLI = join(import.meta.dirname, '..', '..', 'clients', 'typescript', 'src', 'cli.ts');

/** Starts `rapport …` in its own process: the process, what it has written so far, and its end (exit code, stdout, stderr). */
const launch = (args: string[], env: Record<string, string>) => {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env } });
  const output = { out: '', err: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.err += chunk));
  const ended = new Promise<{ code: number; out: string; err: string }>((resolve, reject) => {
    child.on('error', reject).on('close', (code) => resolve({ code: code ?? -1, ...output }));
  });
  return { child, output, ended };
};

/** Runs `rapport …` in its own process: its exit code, stdout and stderr. */
const rapport = (args: string[], env: Record<string, string>) => launch(args, env).ended;

describe('the rapport command line', () => {
  it('is configured once, lists, gets and searches customers, imports a file following its progress, and reads the feed — with exit codes to rely on', async () => {
    const tenant = `cli-${Date.now()}`;
    const env = { XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'rapport-cli-')), XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'rapport-state-')) };
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
    const manifest = JSON.parse(exported.out) as { id: string; count: number; tenantCount: number; files: string[] };
    expect(manifest).toMatchObject({ count: 2, tenantCount: 2 });
    const names = manifest.files.flatMap((name) => {
      const [header, ...rows] = gunzipSync(readFileSync(name)).toString('utf8').trim().split('\n');
      const column = header!.split(',').indexOf('name');
      return rows.map((row) => row.split(',')[column]);
    });
    expect(names.sort()).toEqual(['Cli One', 'Cli Two']);
    // Followed again by its id (a run cut off part-way): what is there whole stays, what is missing is fetched.
    const exportId = manifest.id;
    rmSync(manifest.files[0]!);
    const again = await rapport(['export', '--job', exportId, '--out', out], env);
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ id: exportId, files: manifest.files });
    expect(again.err).toMatch(new RegExp(`export ${exportId}: ${manifest.files.length} / ${manifest.files.length} files`));
    expect(readFileSync(manifest.files[0]!).length).toBeGreaterThan(0);

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

  it('goes on with an import after a failure part-way — the same job, the parts it had sent kept — and follows a job it had started', async () => {
    const tenant = `cli-resume-${Date.now()}`;
    const auth = await token({ tenant });
    // Rapport behind a proxy that, while `refuseStart` holds, answers a job's start with a 500 (a run that died before its job began).
    let refuseStart = true;
    const starts: string[] = [];
    const proxy = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request
        .on('data', (chunk: Buffer) => chunks.push(chunk))
        .on('end', async () => {
          if (request.method === 'POST' && /\/start$/.test(request.url ?? '')) {
            starts.push(request.url!);
            if (refuseStart) return response.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"the connection dropped"}');
          }
          const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== 'host' && name !== 'content-length')) as Record<
            string,
            string
          >;
          const answer = await fetch(`${baseUrl()}${request.url}`, {
            method: request.method,
            headers,
            ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
          });
          response.writeHead(answer.status, Object.fromEntries(answer.headers)).end(Buffer.from(await answer.arrayBuffer()));
        });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (proxy.address() as { port: number }).port;
      const env = {
        RAPPORT_BASE_URL: `http://127.0.0.1:${port}`,
        RAPPORT_TOKEN: auth,
        XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'rapport-state-')),
      };
      const file = join(mkdtempSync(join(tmpdir(), 'rapport-import-')), 'people.csv');
      writeFileSync(file, 'name,email,type\nRes One,one@resume.example,PERSON\nRes Two,two@resume.example,PERSON\n');

      const first = await rapport(['import', file, '--match-key', 'email'], env);
      expect(first.code, first.err).toBe(1);
      const jobId = /import (\S+): sending/.exec(first.err)?.[1];
      expect(jobId, first.err).toBeDefined();

      // Run again: the same job, its upload's URLs renewed, nothing sent twice, then started and followed to its end.
      refuseStart = false;
      const second = await rapport(['import', file, '--match-key', 'email'], env);
      expect(second.code, second.err).toBe(0);
      expect(second.err).toContain(`import ${jobId}: going on with its upload (1 of 1 part(s) sent before)`);
      expect(JSON.parse(second.out)).toMatchObject({ id: jobId, status: 'completed', counts: { read: 2, created: 2 } });
      expect(new Set(starts)).toEqual(new Set([`/api/v1/imports/${jobId}/start`]));

      // The job ended: the next run of the same file is a new job (upserting the same rows: unchanged).
      const third = await rapport(['import', file, '--match-key', 'email'], env);
      expect(third.code, third.err).toBe(0);
      expect(JSON.parse(third.out)).toMatchObject({ status: 'completed', counts: { read: 2, unchanged: 2 } });
      expect(JSON.parse(third.out).id).not.toBe(jobId);

      // The renewal is for a job that awaits its file only; naming a started one with --job follows it.
      const renewed = await fetch(`${baseUrl()}/api/v1/imports/${jobId}/upload`, { method: 'POST', headers: { authorization: `Bearer ${auth}` } });
      expect(renewed.status).toBe(409);
      const again = await rapport(['import', file, '--job', jobId!], env);
      expect(again.code, again.err).toBe(0);
      expect(again.err).toContain(`import ${jobId}: its file was sent before; following it`);
      expect((await fetch(`${baseUrl()}/api/v1/imports/NOSUCHJOB/upload`, { method: 'POST', headers: { authorization: `Bearer ${auth}` } })).status).toBe(404);
      // Another tenant's job is not found.
      const stranger = await token({ tenant: `${tenant}-other` });
      expect((await fetch(`${baseUrl()}/api/v1/imports/${jobId}/upload`, { method: 'POST', headers: { authorization: `Bearer ${stranger}` } })).status).toBe(
        404,
      );
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  }, 120_000);

  it('sends a test delivery to a webhook and says how its receiver answered: 0 when it took it, 1 when not', async () => {
    const tenant = `cli-webhook-${Date.now()}`;
    const env = { RAPPORT_BASE_URL: baseUrl(), RAPPORT_TOKEN: await token({ tenant }) };
    let answer = 204;
    const receiver = await startListener((_request, response) => response.writeHead(answer).end());
    try {
      const { url } = receiver;
      const created = await fetch(`${baseUrl()}/api/v1/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${env.RAPPORT_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url, eventTypes: ['CustomerCreated'] }),
      });
      const { id } = (await created.json()) as { id: string };
      const listed = await rapport(['webhooks', 'list'], env);
      expect(listed.out).toContain(`${id}  enabled   ${url}  CustomerCreated`);
      const passed = await rapport(['webhooks', 'test', id], env);
      expect(passed.code, passed.err).toBe(0);
      expect(JSON.parse(passed.out)).toMatchObject({ status: 'delivered', statusCode: 204 });
      answer = 500;
      const failed = await rapport(['webhooks', 'test', id], env);
      expect(failed.code, failed.err).toBe(1);
      expect(JSON.parse(failed.out)).toMatchObject({ status: 'failed', statusCode: 500 });
      expect((await rapport(['webhooks', 'test', 'no-such-webhook'], env)).code).toBe(1);
      expect((await rapport(['webhooks', 'test'], env)).code).toBe(2);
    } finally {
      await receiver.close();
    }
  }, 120_000);

  it('tails the event feed: a change made while it follows is printed as it lands; interrupted, it says where to resume', async () => {
    const tenant = `cli-tail-${Date.now()}`;
    const auth = await token({ tenant });
    const env = { RAPPORT_BASE_URL: baseUrl(), RAPPORT_TOKEN: auth };
    const tail = launch(['events', '--types', 'CustomerCreated', '--follow'], env);
    const created = await fetch(`${baseUrl()}/api/v1/crm/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Tailed', type: 'PERSON' }),
    });
    const { id } = (await created.json()) as { id: string };
    const line = await eventually('the create printed by the tail', async () => tail.output.out.split('\n').find((l) => l.includes(id)), 30_000);
    expect(JSON.parse(line)).toMatchObject({ eventType: 'CustomerCreated', subject: { id } });
    tail.child.kill('SIGINT');
    const ended = await tail.ended;
    expect(ended.code).toBe(0);
    expect(ended.err).toMatch(/resume with --after \S+/);
  }, 60_000);
});
