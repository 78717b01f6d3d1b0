#!/usr/bin/env node
/**
 * `rapport`, the command line on `@rapport/client`: configure where Rapport is and the token once,
 * then list, get and search customers, import and export files with a live progress line, tail
 * the event feed, and send a test delivery to a webhook. Exit codes a script can rely on: 0 done; 1 the API or the job failed; 2 a usage
 * error; 3 an import completed with rows that failed (read them with `--failed`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createRapportClient, RapportError, type CrmCustomer, type RapportClient } from './index.ts';

export const EXIT = { ok: 0, failed: 1, usage: 2, rowsFailed: 3 } as const;

class UsageError extends Error {}

const USAGE = `rapport — Rapport's API from the command line

  rapport config [--base-url URL] [--token TOKEN]     save where Rapport is and the token (or RAPPORT_BASE_URL, RAPPORT_TOKEN)
  rapport customers list [--status S] [--owner ID] [--limit N] [--json]
  rapport customers get <id> [--json]
  rapport customers search [--q TEXT] [--filter JSON] [--json]
  rapport import <file> [--object customers] [--mode upsert] [--match-key externalId] [--format csv|ndjson]
                        [--mapping JSON] [--record-events]   upload, start and follow an import
                        [--job ID] [--new]            run again after a dropped connection, it goes on with the
                                                       upload or follows the job it started (--job names it; --new starts another)
  rapport import --job <id>                            follow an import that runs
  rapport export [--format ndjson|csv] [--since EXPORT] [--include activities,opportunities] [--search JSON] [--out DIR]
                                                       run an export, download its files (sha256 checked) to DIR
  rapport export --job <id> [--out DIR]                follow an export made before and download what is not there yet
  rapport events [--after POSITION] [--types A,B] [--follow]   the event feed as NDJSON
  rapport webhooks list [--json]                       the tenant's webhooks
  rapport webhooks test <id>                           send a signed WebhookTest event once; prints how the receiver answered

Exit codes: 0 done, 1 the API or the job failed, 2 usage, 3 an import completed with failed rows.`;

interface Config {
  baseUrl?: string;
  token?: string;
}

const configPath = (env: NodeJS.ProcessEnv): string => join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'rapport', 'config.json');

const readConfig = (env: NodeJS.ProcessEnv): Config => {
  try {
    return JSON.parse(readFileSync(configPath(env), 'utf8')) as Config;
  } catch {
    return {};
  }
};

/** What the command writes to: its output (stdout), its messages and progress (stderr), and whether that is a terminal. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  tty: boolean;
  env: NodeJS.ProcessEnv;
}

const clientOf = (io: Io): RapportClient => {
  const saved = readConfig(io.env);
  const baseUrl = io.env.RAPPORT_BASE_URL ?? saved.baseUrl;
  const token = io.env.RAPPORT_TOKEN ?? saved.token;
  if (!baseUrl || !token)
    throw new UsageError('No base URL or token: run `rapport config --base-url URL --token TOKEN` (or set RAPPORT_BASE_URL and RAPPORT_TOKEN).');
  return createRapportClient({ baseUrl, token });
};

const fail = (response: Response, error: unknown): never => {
  throw new RapportError(response.status, error);
};

const table = (rows: CrmCustomer[]): string => {
  const columns = ['id', 'name', 'crmStatus', 'ownerId'] as const;
  const cells = rows.map((row) => columns.map((column) => String(row[column] ?? '')));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((cell) => cell[i]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(columns), ...cells.map(line)].join('\n');
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A request tried again while the connection is down (a dropped network, a restarting server), for up to five minutes. */
const whileReachable = async <T>(io: Io, work: () => Promise<T>): Promise<T> => {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (error instanceof RapportError || Date.now() > deadline) throw error;
      io.err(`rapport: ${(error as Error).message}; trying again\n`);
      await sleep(2000);
    }
  }
};

type Job = {
  id: string;
  status: string;
  counts: Record<string, number>;
  progress?: { done: number; rowsPerSecond: number; estimatedEnd?: string };
  failure?: { code: string; message: string };
};

const progressLine = (job: Job): string => {
  const { read = 0, failed = 0 } = job.counts;
  const done = job.progress?.done ?? 0;
  const left = job.progress?.estimatedEnd ? Math.max(0, Math.round((Date.parse(job.progress.estimatedEnd) - Date.now()) / 1000)) : undefined;
  return `${job.id} ${job.status}: ${done.toLocaleString('en')}${read ? ` / ${read.toLocaleString('en')}` : ''} rows, ${failed.toLocaleString('en')} failed, ${job.progress?.rowsPerSecond ?? 0} rows/s${left !== undefined ? `, ${left} s left` : ''}`;
};

/** Follows a job to its end, the progress on one line of a terminal (else a line every 10 s); its exit code. */
const follow = async (rapport: RapportClient, io: Io, id: string): Promise<number> => {
  let lastPrinted = 0;
  for (;;) {
    const job = await whileReachable(io, async () => {
      const { data, error, response } = await rapport.GET('/api/v1/imports/{id}', { params: { path: { id } } });
      return (data as Job | undefined) ?? fail(response, error);
    });
    const ended = ['completed', 'failed', 'cancelled'].includes(job.status);
    if (io.tty) io.err(`\r\x1b[2K${progressLine(job)}`);
    else if (ended || Date.now() - lastPrinted >= 10_000) {
      io.err(`${progressLine(job)}\n`);
      lastPrinted = Date.now();
    }
    if (ended) {
      if (io.tty) io.err('\n');
      io.out(`${JSON.stringify({ id: job.id, status: job.status, counts: job.counts, ...(job.failure ? { failure: job.failure } : {}) })}\n`);
      if (job.status !== 'completed') return EXIT.failed;
      if ((job.counts.failed ?? 0) > 0) {
        io.err(`${job.counts.failed} rows failed: rapport reads them with GET /api/v1/imports/${job.id}/results?outcome=failed\n`);
        return EXIT.rowsFailed;
      }
      return EXIT.ok;
    }
    await sleep(1000);
  }
};

type Upload = { partBytes: number; parts: { partNumber: number; url: string }[] };
type SentPart = { partNumber: number; etag: string };
/** An upload under way, remembered until its job ends: the job, and each part sent with the ETag S3 answered. */
type UploadState = { job: string; parts: SentPart[] };

/** Where an upload is remembered: per Rapport and file (its path, size and modification time), under $XDG_STATE_HOME. */
const uploadStatePath = (io: Io, file: string, size: number, mtimeMs: number): string => {
  const key = createHash('sha256')
    .update([io.env.RAPPORT_BASE_URL ?? readConfig(io.env).baseUrl ?? '', resolve(file), size, mtimeMs].join('\n'))
    .digest('hex')
    .slice(0, 32);
  return join(io.env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'rapport', 'imports', `${key}.json`);
};

const readUploadState = (path: string): UploadState | undefined => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as UploadState;
  } catch {
    return undefined;
  }
};

const writeUploadState = (path: string, state: UploadState): void => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(state)}\n`, { mode: 0o600 });
};

/**
 * Imports a file: creates the job, sends the file part by part to its presigned URLs, starts it and
 * follows it to its end. What was sent is remembered (uploadStatePath) until the job ends, so the
 * same command run again after a dropped connection or a killed process goes on where it stopped —
 * the parts not yet sent, through fresh URLs — or follows the job it had started; `--job <id>`
 * names the job to go on with, `--new` starts another.
 */
const importFile = async (rapport: RapportClient, io: Io, file: string, values: Record<string, string | boolean | undefined>): Promise<number> => {
  const { size: bytes, mtimeMs } = await stat(file);
  const remembered = uploadStatePath(io, file, bytes, mtimeMs);
  const saved = values.new === true ? undefined : readUploadState(remembered);
  let state: UploadState | undefined = values.job ? { job: String(values.job), parts: saved?.job === values.job ? saved.parts : [] } : saved;
  let upload: Upload | undefined;
  if (state) {
    const id = state.job;
    const renewed = await whileReachable(io, () => rapport.POST('/api/v1/imports/{id}/upload', { params: { path: { id } } }));
    if (renewed.response.status === 409) {
      io.err(`import ${id}: its file was sent before; following it\n`);
      const code = await follow(rapport, io, id);
      rmSync(remembered, { force: true });
      return code;
    }
    if (renewed.response.status === 404 && !values.job) state = undefined;
    else if (!renewed.data) fail(renewed.response, renewed.error);
    else {
      upload = renewed.data.upload as Upload;
      io.err(`import ${id}: going on with its upload (${state.parts.length} of ${upload.parts.length} part(s) sent before)\n`);
    }
  }
  if (!state || !upload) {
    const format = String(values.format ?? (file.endsWith('.ndjson') || file.endsWith('.jsonl') ? 'ndjson' : 'csv'));
    const body = {
      object: String(values.object ?? 'customers'),
      mode: String(values.mode ?? 'upsert'),
      format,
      bytes,
      ...(values['match-key'] ? { matchKey: String(values['match-key']) } : {}),
      ...(values.mapping ? { mapping: JSON.parse(String(values.mapping)) as Record<string, string> } : {}),
      ...(values['record-events'] ? { recordEvents: true } : {}),
    };
    // The body's members are checked by the API (a 400 names the one at fault).
    const created = await rapport.POST('/api/v1/imports', { body: body as never });
    if (!created.data) fail(created.response, created.error);
    const job = created.data as unknown as { id: string; upload: Upload };
    state = { job: job.id, parts: [] };
    upload = job.upload;
    writeUploadState(remembered, state);
    io.err(`import ${job.id}: sending ${bytes.toLocaleString('en')} bytes in ${upload.parts.length} part(s)\n`);
  }
  const id = state.job;
  const handle = await open(file, 'r');
  try {
    for (const { partNumber } of upload.parts) {
      if (state.parts.some((sent) => sent.partNumber === partNumber)) continue;
      const start = (partNumber - 1) * upload.partBytes;
      const buffer = Buffer.alloc(Math.min(upload.partBytes, bytes - start));
      await handle.read(buffer, 0, buffer.length, start);
      const send = () => whileReachable(io, () => fetch(upload!.parts[partNumber - 1]!.url, { method: 'PUT', body: buffer }));
      let put = await send();
      if (put.status === 403) {
        // Its URLs expired while the connection was down: fresh ones, and the part again.
        const renewed = await rapport.POST('/api/v1/imports/{id}/upload', { params: { path: { id } } });
        if (!renewed.data) fail(renewed.response, renewed.error);
        upload = renewed.data!.upload as Upload;
        put = await send();
      }
      if (!put.ok) throw new RapportError(put.status, await put.text());
      state.parts.push({ partNumber, etag: put.headers.get('etag') ?? '' });
      writeUploadState(remembered, state);
    }
  } finally {
    await handle.close();
  }
  const parts = [...state.parts].sort((a, b) => a.partNumber - b.partNumber);
  const started = await whileReachable(io, () => rapport.POST('/api/v1/imports/{id}/start', { params: { path: { id } }, body: { parts } }));
  if (started.error !== undefined) fail(started.response, started.error);
  const code = await follow(rapport, io, id);
  rmSync(remembered, { force: true });
  return code;
};

/**
 * Runs an export to its end (or, with `--job`, follows one already made) and downloads its files
 * into `out`, each checked against the manifest's sha256, with a progress line. Run again after a
 * dropped connection with `--job`, it skips the files already there whole and fetches the rest,
 * through fresh URLs when theirs expired.
 */
const exportFiles = async (rapport: RapportClient, io: Io, values: Record<string, string | boolean | undefined>): Promise<number> => {
  let id = values.job ? String(values.job) : undefined;
  if (!id) {
    const body = {
      format: String(values.format ?? 'ndjson'),
      ...(values.since ? { since: String(values.since) } : {}),
      ...(values.include ? { include: String(values.include).split(',').filter(Boolean) } : {}),
      ...(values.search ? { search: JSON.parse(String(values.search)) as Record<string, unknown> } : {}),
    };
    const created = await rapport.POST('/api/v1/exports', { body: body as never });
    if (!created.data) fail(created.response, created.error);
    id = (created.data as unknown as { id: string }).id;
    io.err(`export ${id}: started (follow it again with --job ${id})\n`);
  }
  type ExportedFile = { type: string; url: string; count: number; sha256: string; bytes: number };
  type Manifest = { output: ExportedFile[]; deleted?: ExportedFile[]; count: number; tenantCount: number; transactionTime: string };
  type Job = { status: string; format: string; manifest?: Manifest; failure?: { message: string } };
  const read = (): Promise<Job> =>
    whileReachable(io, async () => {
      const { data, error, response } = await rapport.GET('/api/v1/exports/{id}', { params: { path: { id: id! } } });
      return (data as unknown as Job | undefined) ?? fail(response, error);
    });
  const started = Date.now();
  let job = await read();
  while (job.status !== 'completed' && job.status !== 'failed') {
    if (io.tty) io.err(`\r\x1b[2Kexport ${id} ${job.status}, ${Math.round((Date.now() - started) / 1000)} s`);
    await sleep(1000);
    job = await read();
  }
  if (io.tty) io.err('\n');
  if (job.status !== 'completed' || !job.manifest) {
    io.err(`rapport: export ${id} ${job.status}${job.failure ? `: ${job.failure.message}` : ''}\n`);
    return EXIT.failed;
  }
  const out = String(values.out ?? '.');
  mkdirSync(out, { recursive: true });
  const filesOf = (manifest: Manifest) => [...manifest.output, ...(manifest.deleted ?? [])];
  let files = filesOf(job.manifest);
  const total = files.reduce((sum, file) => sum + file.bytes, 0);
  let done = 0;
  const written: string[] = [];
  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  for (let i = 0; i < files.length; i++) {
    const name = join(out, `${id}-${String(i + 1).padStart(3, '0')}-${files[i]!.type}.${job.format}.gz`);
    const already = existsSync(name) ? readFileSync(name) : undefined;
    if (!already || sha256(already) !== files[i]!.sha256) {
      let answer = await whileReachable(io, () => fetch(files[i]!.url));
      if (answer.status === 403) {
        // Its URL expired (they last 15 minutes): the export answers fresh ones.
        files = filesOf((await read()).manifest!);
        answer = await whileReachable(io, () => fetch(files[i]!.url));
      }
      if (!answer.ok) throw new RapportError(answer.status, await answer.text());
      const bytes = Buffer.from(await answer.arrayBuffer());
      if (sha256(bytes) !== files[i]!.sha256) throw new Error(`file ${i + 1} (${files[i]!.type}) does not match its sha256: run again with --job ${id}`);
      writeFileSync(name, bytes);
    }
    written.push(name);
    done += files[i]!.bytes;
    const line = `export ${id}: ${i + 1} / ${files.length} files, ${done.toLocaleString('en')} / ${total.toLocaleString('en')} bytes`;
    if (io.tty) io.err(`\r\x1b[2K${line}${i + 1 === files.length ? '\n' : ''}`);
    else if (i + 1 === files.length) io.err(`${line}\n`);
  }
  io.out(
    `${JSON.stringify({ id, count: job.manifest.count, tenantCount: job.manifest.tenantCount, transactionTime: job.manifest.transactionTime, files: written })}\n`,
  );
  return EXIT.ok;
};

const customers = async (rapport: RapportClient, io: Io, positionals: string[], values: Record<string, string | boolean | undefined>): Promise<number> => {
  const [action, id] = positionals;
  const json = values.json === true;
  const print = (rows: CrmCustomer[]) => io.out(json ? rows.map((row) => `${JSON.stringify(row)}\n`).join('') : `${table(rows)}\n`);
  if (action === 'get') {
    if (!id) throw new UsageError('rapport customers get <id>');
    const { data, error, response } = await rapport.GET('/api/v1/crm/customers/{id}', { params: { path: { id } } });
    if (!data) fail(response, error);
    io.out(json ? `${JSON.stringify(data)}\n` : `${table([data as CrmCustomer])}\n`);
    return EXIT.ok;
  }
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new UsageError('--limit takes a whole number above 0');
  const rows: CrmCustomer[] = [];
  const walk =
    action === 'list'
      ? rapport.customers({
          limit: Math.min(limit ?? 200, 200),
          ...(values.status ? { crmStatus: String(values.status) as never } : {}),
          ...(values.owner ? { ownerId: String(values.owner) } : {}),
        })
      : action === 'search'
        ? rapport.search({
            limit: Math.min(limit ?? 200, 200),
            ...(values.q ? { q: String(values.q) } : {}),
            ...(values.filter ? { filter: JSON.parse(String(values.filter)) as never } : {}),
          })
        : undefined;
  if (!walk) throw new UsageError('rapport customers list|get|search');
  for await (const customer of walk) {
    rows.push(customer);
    if (json) {
      io.out(`${JSON.stringify(customer)}\n`);
      rows.length = 0;
    }
    if (limit !== undefined && rows.length >= limit) break;
  }
  if (!json) print(rows);
  return EXIT.ok;
};

const events = async (rapport: RapportClient, io: Io, values: Record<string, string | boolean | undefined>): Promise<number> => {
  let position = values.after ? String(values.after) : undefined;
  const types = values.types ? String(values.types).split(',').filter(Boolean) : undefined;
  const stop = new AbortController();
  const interrupted = () => stop.abort();
  process.once('SIGINT', interrupted);
  try {
    for await (const page of rapport.feed({
      ...(position ? { after: position } : {}),
      ...(types ? { types } : {}),
      follow: values.follow === true,
      signal: stop.signal,
    })) {
      for (const event of page.events) io.out(`${JSON.stringify(event)}\n`);
      position = page.next;
    }
  } finally {
    process.off('SIGINT', interrupted);
    if (position) io.err(`rapport: resume with --after ${position}\n`);
  }
  return EXIT.ok;
};

type Delivery = { id: string; status: string; attempts: { statusCode?: number; latencyMs: number; error?: string }[]; reason?: string };

/** `webhooks list`, and `webhooks test <id>`: the test delivery followed in the log until it settles; 0 when the receiver took it. */
const webhooks = async (rapport: RapportClient, io: Io, positionals: string[], values: Record<string, string | boolean | undefined>): Promise<number> => {
  const [action, id] = positionals;
  if (action === 'list') {
    const { data, error, response } = await rapport.GET('/api/v1/webhooks');
    if (!data) fail(response, error);
    for (const webhook of data ?? [])
      io.out(
        values.json === true
          ? `${JSON.stringify(webhook)}\n`
          : `${webhook.id}  ${webhook.enabled ? 'enabled ' : 'disabled'}  ${webhook.url}  ${webhook.eventTypes.join(',')}\n`,
      );
    return EXIT.ok;
  }
  if (action !== 'test' || !id) throw new UsageError('rapport webhooks list | rapport webhooks test <id>');
  const sent = await rapport.POST('/api/v1/webhooks/{id}/test', { params: { path: { id } } });
  if (!sent.data) fail(sent.response, sent.error);
  const deliveryId = sent.data!.id;
  io.err(`webhook ${id}: test delivery ${deliveryId} sent\n`);
  // One attempt (at most 10 s) after the queue hands it over: a minute is plenty.
  for (const until = Date.now() + 60_000; Date.now() < until; await sleep(500)) {
    const log = await whileReachable(io, async () => {
      const { data, error, response } = await rapport.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id }, query: { limit: 20 } } });
      return (data as Delivery[] | undefined) ?? fail(response, error);
    });
    const delivery = log.find((entry) => entry.id === deliveryId);
    if (!delivery || !['delivered', 'failed', 'dropped', 'skipped'].includes(delivery.status)) continue;
    const attempt = delivery.attempts.at(-1);
    io.out(
      `${JSON.stringify({ id: deliveryId, status: delivery.status, ...(attempt?.statusCode === undefined ? {} : { statusCode: attempt.statusCode }), ...(attempt ? { latencyMs: attempt.latencyMs } : {}), ...(attempt?.error ? { error: attempt.error } : {}) })}\n`,
    );
    return delivery.status === 'delivered' ? EXIT.ok : EXIT.failed;
  }
  io.err(`rapport: test delivery ${deliveryId} has not settled after a minute: see GET /api/v1/webhooks/${id}/deliveries\n`);
  return EXIT.failed;
};

/** Runs one command line; its exit code (messages to `io`). */
export const run = async (argv: string[], io: Io): Promise<number> => {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'base-url': { type: 'string' },
        token: { type: 'string' },
        json: { type: 'boolean' },
        limit: { type: 'string' },
        status: { type: 'string' },
        owner: { type: 'string' },
        q: { type: 'string' },
        filter: { type: 'string' },
        object: { type: 'string' },
        mode: { type: 'string' },
        'match-key': { type: 'string' },
        format: { type: 'string' },
        mapping: { type: 'string' },
        'record-events': { type: 'boolean' },
        new: { type: 'boolean' },
        job: { type: 'string' },
        after: { type: 'string' },
        types: { type: 'string' },
        follow: { type: 'boolean' },
        since: { type: 'string' },
        include: { type: 'string' },
        search: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`rapport: ${(error as Error).message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const { positionals, values } = parsed as { positionals: string[]; values: Record<string, string | boolean | undefined> };
  const [command, ...rest] = positionals;
  try {
    if (values.help) {
      io.out(`${USAGE}\n`);
      return EXIT.ok;
    }
    if (!command) throw new UsageError('a command is needed');
    if (command === 'config') {
      const path = configPath(io.env);
      const config = {
        ...readConfig(io.env),
        ...(values['base-url'] ? { baseUrl: String(values['base-url']) } : {}),
        ...(values.token ? { token: String(values.token) } : {}),
      };
      if (values['base-url'] || values.token) {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
      }
      io.out(`${JSON.stringify({ path, baseUrl: config.baseUrl ?? null, token: config.token ? `${config.token.slice(0, 8)}…` : null })}\n`);
      return EXIT.ok;
    }
    const rapport = clientOf(io);
    if (command === 'customers') return await customers(rapport, io, rest, values);
    if (command === 'events') return await events(rapport, io, values);
    if (command === 'export') return await exportFiles(rapport, io, values);
    if (command === 'webhooks') return await webhooks(rapport, io, rest, values);
    if (command === 'import') {
      if (!rest[0] && values.job) return await follow(rapport, io, String(values.job));
      if (!rest[0]) throw new UsageError('rapport import <file> (or --job <id> to follow one)');
      return await importFile(rapport, io, rest[0], values);
    }
    throw new UsageError(`unknown command '${command}'`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`rapport: ${error.message}\n\n${USAGE}\n`);
      return EXIT.usage;
    }
    io.err(`rapport: ${(error as Error).message}\n`);
    return EXIT.failed;
  }
};

if (import.meta.main)
  process.exitCode = await run(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    tty: process.stderr.isTTY === true,
    env: process.env,
  });
