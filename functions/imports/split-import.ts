/**
 * An import's first step: its upload read once, as a stream (never held whole), into chunks of
 * IMPORT_LIMITS.chunkRows rows, each row with the physical line it starts on — CSV by RFC 4180
 * through npm `csv-parse` (BOM, quoted newlines, the job's delimiter), NDJSON a line a row — and a
 * manifest of the chunks for the Distributed Map. A file it cannot read (not UTF-8, malformed CSV,
 * a header of too many columns) fails the job naming the line; a row it can read but not use (the
 * wrong number of columns, an NDJSON line that is not an object or too long) becomes that line's
 * failure in its chunk. A row whose key (domain/imports.ts, rowKey) an earlier row of the file
 * held is marked with that row (FirstSeen), to fail as a duplicate naming the first line, never to
 * merge into it. Run again, it writes the same chunks: the rows are not processed before it ends.
 *
 * A file's customers are written before the activities and opportunities that may refer to them:
 * the manifest lists the chunks to run first (their customers: `rows: 'customers'`, or every row of
 * a chunk with no activity or opportunity: `'all'`), the second manifest the chunks to run next
 * (their other rows: `'children'`, or `'all'` for a chunk with no customer); a revert undoes them the
 * other way round. Each chunk's first line is kept (`lines.json`), to find the chunk of a line a row
 * refers to.
 */
import { pipeline, Transform, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Context } from 'aws-lambda';
import { customTypesOf, IMPORT_LIMITS, recordOf, rowBody, rowKey } from '../domain/imports.ts';
import { fieldDefinitionsInForce } from '../storage/fields/field-definitions.ts';
import { FirstSeen } from './first-seen.ts';
import { importKeys, objectSize, readObject, readText, writeObject } from '../storage/files/files.ts';
import { getImportJob, type ImportJob } from '../storage/imports/import-jobs.ts';
import { moveJob } from './job-moves.ts';

/**
 * A row as a chunk holds it: its line and its cells (by column) — and, when an earlier row of the
 * file held its key, that row's ordinal in the file (`firstRow`: a candidate duplicate, confirmed
 * where it is processed) — or why the line is not a row.
 */
export type ChunkRow = { line: number; row: Record<string, unknown>; firstRow?: number } | { line: number; error: { code: string; message: string } };

/** Where a row of the file is, by its ordinal (0-based, every line that is a row or a row's error counted): its chunk and its index there. */
/** Which of a chunk's rows a run of it processes: its customers, the others (activities, opportunities, lines that are no row), or all at once (a chunk holding one kind). */
export type ChunkRows = 'customers' | 'children' | 'all';
/**
 * An item of a Distributed Map: a chunk of a job, which of its rows to run, and whether this run
 * is the chunk's first of two (`first`: its outcomes kept aside and counted, the chunk done only when the
 * second run writes all its results).
 */
export interface ChunkItem {
  tenantId: string;
  importId: string;
  chunk: number;
  rows: ChunkRows;
  first?: true;
}

export const rowPlace = (ordinal: number): { chunk: number; index: number } => ({
  chunk: Math.floor(ordinal / IMPORT_LIMITS.chunkRows) + 1,
  index: ordinal % IMPORT_LIMITS.chunkRows,
});

/** Why the file cannot be read: the job fails with it. */
export class UnreadableFile extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'UnreadableFile';
  }
}

/**
 * Bytes as UTF-8 text, failing on the first invalid sequence (with the line it is on); CRLF line
 * ends read as LF (csv-parse counts a CRLF inside quotes as two lines, which would shift every line
 * number after it).
 */
const utf8 = (): Transform => {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lines = 1;
  let carriedReturn = false;
  const text = (decoded: string, last: boolean): string => {
    let out = (carriedReturn ? '\r' : '') + decoded;
    carriedReturn = !last && out.endsWith('\r');
    if (carriedReturn) out = out.slice(0, -1);
    out = out.replaceAll('\r\n', '\n');
    for (let at = out.indexOf('\n'); at !== -1; at = out.indexOf('\n', at + 1)) lines++;
    return out;
  };
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, done) {
      let decoded: string;
      try {
        decoded = decoder.decode(chunk, { stream: true });
      } catch {
        return done(new UnreadableFile('ENCODING', 'The file is not UTF-8 text.', lines + countLines(chunk)));
      }
      done(null, text(decoded, false));
    },
    flush(done) {
      let decoded: string;
      try {
        decoded = decoder.decode();
      } catch {
        return done(new UnreadableFile('ENCODING', 'The file is not UTF-8 text (it ends inside a character).', lines));
      }
      done(null, text(decoded, true));
    },
  });
};

/** Line feeds before the first byte that is not valid UTF-8 in a chunk (where the decoder stopped: the line to name). */
const countLines = (chunk: Buffer): number => {
  let valid = chunk.length;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(chunk);
  } catch {
    // The longest prefix that decodes, found by halving: a few decodes of one chunk, once per failed job.
    let [low, high] = [0, chunk.length];
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(chunk.subarray(0, mid), { stream: true });
        low = mid;
      } catch {
        high = mid - 1;
      }
    }
    valid = low;
  }
  let count = 0;
  for (let at = chunk.indexOf(10); at !== -1 && at < valid; at = chunk.indexOf(10, at + 1)) count++;
  return count;
};

/** CSV rows, the first line the header. */
async function* csvRows(body: Readable, delimiter: string): AsyncGenerator<ChunkRow> {
  const parser = parse({ bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, max_record_size: IMPORT_LIMITS.recordBytes, info: true });
  // An error anywhere (S3's stream, the text's encoding) ends the parser with it, and so the loop below.
  pipeline(body, utf8(), parser, () => {});
  let header: string[] | undefined;
  let ended = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; empty_lines: number } }>) {
      // A record starts on the line after the previous one ended (and after any empty lines skipped between).
      const line = ended + 1;
      ended = info.lines;
      if (!header) {
        if (record.length > IMPORT_LIMITS.columns)
          throw new UnreadableFile('TOO_MANY_COLUMNS', `The header has ${record.length} columns; at most ${IMPORT_LIMITS.columns}.`, line);
        const seen = new Set<string>();
        for (const name of record) {
          if (name.trim() === '') throw new UnreadableFile('HEADER', 'A column of the header has no name.', line);
          if (seen.has(name)) throw new UnreadableFile('HEADER', `The header names column '${name.slice(0, 100)}' twice.`, line);
          seen.add(name);
        }
        header = record;
        continue;
      }
      if (record.length !== header.length) {
        yield { line, error: { code: 'COLUMN_COUNT', message: `The line has ${record.length} columns; the header has ${header.length}.` } };
        continue;
      }
      yield { line, row: Object.fromEntries(header.map((name, i) => [name, record[i]])) };
    }
  } catch (error) {
    if (error instanceof UnreadableFile) throw error;
    const { code, lines } = error as { code?: string; lines?: number };
    throw new UnreadableFile(
      'MALFORMED_CSV',
      `The file is not CSV the reader can follow: ${(error as Error).message.slice(0, 300)}`,
      lines ?? (code ? ended + 1 : undefined),
    );
  }
  if (!header) throw new UnreadableFile('EMPTY', 'The file holds no header line.');
}

/** NDJSON rows, a line each; a line longer than IMPORT_LIMITS.recordBytes is that line's failure, read past without being kept. */
async function* ndjsonRows(text: Readable): AsyncGenerator<ChunkRow> {
  let line = 1;
  let current = '';
  let tooLong = false;
  const finish = function* (): Generator<ChunkRow> {
    const content = current.replace(/\r$/, '');
    if (tooLong) yield { line, error: { code: 'RECORD_TOO_LARGE', message: `The line is longer than ${IMPORT_LIMITS.recordBytes} characters.` } };
    else if (content.trim() !== '') {
      let value: unknown;
      try {
        value = JSON.parse(content);
      } catch (error) {
        yield { line, error: { code: 'INVALID_JSON', message: `The line is not JSON: ${(error as Error).message.slice(0, 200)}` } };
        return;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        yield { line, error: { code: 'NOT_AN_OBJECT', message: 'The line is not a JSON object.' } };
      else yield { line, row: value as Record<string, unknown> };
    }
  };
  for await (const piece of text as AsyncIterable<string>) {
    let start = 0;
    for (let at = piece.indexOf('\n'); at !== -1; at = piece.indexOf('\n', start)) {
      if (!tooLong) current += piece.slice(start, at);
      if (current.length > IMPORT_LIMITS.recordBytes) tooLong = true;
      yield* finish();
      line++;
      current = '';
      tooLong = false;
      start = at + 1;
    }
    if (!tooLong) current += piece.slice(start);
    if (current.length > IMPORT_LIMITS.recordBytes) {
      tooLong = true;
      current = '';
    }
  }
  yield* finish();
}

/** The rows of an upload, as its format reads them. */
export const rowsOf = (body: Readable, job: Pick<ImportJob, 'format' | 'delimiter'>): AsyncGenerator<ChunkRow> => {
  if (job.format === 'csv') return csvRows(body, job.delimiter ?? ',');
  const text = utf8();
  pipeline(body, text, () => {});
  return ndjsonRows(text);
};

/**
 * Splits a queued job's upload into chunks (a revert's chunks are those of the job it reverts),
 * writes their manifest; the job then runs (or fails, naming why).
 */
export const splitImport = async (tenantId: string, importId: string): Promise<Split> => {
  const job = await getImportJob(tenantId, importId);
  if (!job) throw new Error(`import ${tenantId}/${importId} does not exist`);
  const keys = importKeys(tenantId, importId);
  const answer = (chunks: number): Split => ({ chunks, manifest: keys.manifest, childManifest: keys.childManifest });
  if (job.chunks !== undefined) return answer(job.chunks);
  const splitting = await moveJob(job, ['queued', 'splitting'], 'splitting', { started: job.started ?? new Date().toISOString() });
  if (!splitting) return answer(0);
  let split: SplitFile;
  try {
    split = job.mode === 'revert' ? await linesToRevert(job) : await splitUpload(job);
  } catch (error) {
    if (!(error instanceof UnreadableFile)) throw error;
    await moveJob(splitting, ['splitting'], 'failed', {
      failure: { code: error.code, message: error.message, ...(error.line !== undefined ? { line: error.line } : {}) },
      finished: new Date().toISOString(),
    });
    return answer(0);
  }
  const item = ({ chunk, rows, first }: Omit<ChunkItem, 'tenantId' | 'importId'>): ChunkItem => ({
    tenantId,
    importId,
    chunk,
    rows,
    ...(first ? { first } : {}),
  });
  await writeObject(keys.manifest, JSON.stringify(split.first.map(item)), 'application/json');
  await writeObject(keys.childManifest, JSON.stringify(split.next.map(item)), 'application/json');
  await writeObject(keys.lines, JSON.stringify(split.firstLines), 'application/json');
  await moveJob(splitting, ['splitting'], 'running', { chunks: split.chunks, counts: { read: split.rows } });
  return answer(split.chunks);
};

/** What the splitter answers the state machine: how many chunks, and the manifests of the two maps (run one after the other). */
export interface Split {
  chunks: number;
  manifest: string;
  childManifest: string;
}

type Run = Omit<ChunkItem, 'tenantId' | 'importId'>;
/** A file as split: its chunks and rows, the chunks' runs in the order of the two maps, and each chunk's first line. */
interface SplitFile {
  chunks: number;
  rows: number;
  first: Run[];
  next: Run[];
  firstLines: number[];
}

/** The runs of chunks holding so many customers and other rows: customers first, the rows that may refer to them next. */
const runsOf = (kinds: readonly { customers: number; children: number }[]): Pick<SplitFile, 'first' | 'next'> => {
  const first: Run[] = [];
  const next: Run[] = [];
  for (const [i, { customers, children }] of kinds.entries()) {
    const chunk = i + 1;
    if (customers > 0 && children > 0) {
      first.push({ chunk, rows: 'customers', first: true });
      next.push({ chunk, rows: 'children' });
    } else (children === 0 ? first : next).push({ chunk, rows: 'all' });
  }
  return { first, next };
};

/**
 * A revert's lines: every line of the job it reverts, in that job's chunks, the other way round —
 * what refers to a customer undone before the customer (a customer the import created is deleted
 * last, so its activities are reverted, not found gone).
 */
const linesToRevert = async (job: ImportJob): Promise<SplitFile> => {
  const source = await getImportJob(job.tenantId, job.revertOf!);
  const keys = importKeys(job.tenantId, job.revertOf!);
  const runs = async (key: string): Promise<Run[]> => JSON.parse((await readText(key)) ?? '[]') as Run[];
  const [first, next] = [await runs(keys.childManifest), await runs(keys.manifest)];
  return {
    chunks: source?.chunks ?? 0,
    rows: source?.counts.read ?? 0,
    first: first.map(({ chunk, rows }) => (rows === 'all' ? { chunk, rows } : { chunk, rows, first: true })),
    next: next.map(({ chunk, rows }) => ({ chunk, rows })),
    firstLines: [],
  };
};

/** The upload read once into chunks of IMPORT_LIMITS.chunkRows rows. */
const splitUpload = async (job: ImportJob): Promise<SplitFile> => {
  const keys = importKeys(job.tenantId, job.id);
  const size = await objectSize(keys.upload);
  if (size === undefined) throw new UnreadableFile('NO_UPLOAD', 'The job has no uploaded file.');
  if (size > job.bytes) throw new UnreadableFile('FILE_LARGER_THAN_DECLARED', `The file has ${size} bytes; the job declared ${job.bytes}.`);
  // Rows that share a key with an earlier row are marked with it (FirstSeen: 12 bytes a row, not the keys).
  const fields = await fieldDefinitionsInForce(job.tenantId, 'customer');
  const customTypes = customTypesOf(fields);
  const seen = new FirstSeen();
  const kinds: { customers: number; children: number }[] = [];
  const firstLines: number[] = [];
  let rows = 0;
  let pending: ChunkRow[] = [];
  let kind = { customers: 0, children: 0 };
  const flush = async () => {
    kinds.push(kind);
    firstLines.push(pending[0]!.line);
    await writeObject(keys.chunk(kinds.length), `${pending.map((row) => JSON.stringify(row)).join('\n')}\n`);
    [pending, kind] = [[], { customers: 0, children: 0 }];
  };
  for await (const row of rowsOf(await readObject(keys.upload), job)) {
    if ('row' in row) {
      const { body } = rowBody(row.row, job, customTypes);
      const record = recordOf(job.object, body);
      if (record === 'customer') kind.customers++;
      else if (record) kind.children++;
      const key = await rowKey(job, body, fields);
      const first = key === undefined ? undefined : seen.see(key, rows);
      if (first !== undefined) row.firstRow = first;
    }
    pending.push(row);
    rows++;
    if (pending.length === IMPORT_LIMITS.chunkRows) await flush();
  }
  if (pending.length > 0) await flush();
  return { chunks: kinds.length, rows, ...runsOf(kinds), firstLines };
};

/** The state machine's first task. */
export const handler = async (input: { tenantId: string; importId: string }, _context: Context) => splitImport(input.tenantId, input.importId);
