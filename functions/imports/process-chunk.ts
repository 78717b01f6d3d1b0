/**
 * One chunk of an import (the Distributed Map's item): each row matched against the tenant's
 * customers by the job's key, then written as its API request would be — the CRM create or PATCH
 * through its real handler, as the job's creator (http/internal-call.ts), so every check, access
 * rule, custom field validation and event is the API's own — and its outcome kept for its line. A
 * create carries the Idempotency-Key `import-<job>-<line>`: a chunk run again replays it rather than
 * creating twice. Throttling and write conflicts (503) are retried here, never reported as a row's
 * failure. The chunk's outcomes are written as its results and added to the job's counts once.
 */
import type { Context } from 'aws-lambda';
import { callOperation, type OperationHandler } from '../http/internal-call.ts';
import type { AuthorizerContext } from '../http/kernel.ts';
import { jsonEqual } from '../domain/canonical-json.ts';
import {
  columnOf,
  customTypesOf,
  matchKeyField,
  matchKeyText,
  noCounts,
  rowBody,
  type Counts,
  type LineResult,
  type UndoCall,
  type UndoEntry,
} from '../domain/imports.ts';
import { getCustomer } from '../storage/customers/customers.ts';
import type { CustomerRecord } from '../storage/customers/customer-items.ts';
import { claimHash, EXTERNAL_ID, type FieldsInForce } from '../domain/custom-values.ts';
import { customerHolding } from '../storage/customers/unique-values.ts';
import { customersMatching } from '../storage/customers/match-keys.ts';
import { fieldDefinitionsInForce } from '../storage/fields/field-definitions.ts';
import { importKeys, readText, writeObject } from '../storage/files/files.ts';
import { countChunk, getImportJob, reportImportProgress, type ImportJob } from '../storage/imports/import-jobs.ts';
import { importEvent, progressEveryMs } from '../events/import-events.ts';
import { toCrmCustomer } from '../crm/customer-view.ts';
import { crm } from '../crm/operations.ts';
import { CrmCustomerCreate } from '../crm/schemas.ts';
import { parseWith } from '../http/validation.ts';
import { HttpError } from '../http/errors.ts';
import { checkCustomValues } from '../domain/custom-fields.ts';
import { handler as createCustomer } from '../crm/create-customer.ts';
import { handler as updateCustomer } from '../crm/update-customer.ts';
import { handler as deleteCustomer } from '../crm/delete-customer.ts';
import { handler as updateStatus } from '../crm/update-status.ts';
import { handler as assignOwner } from '../crm/assign-owner.ts';
import { handler as removeOwner } from '../crm/remove-owner.ts';
import { handler as setNextAction } from '../crm/set-next-action.ts';
import { handler as addTag } from '../crm/add-tag.ts';
import { handler as removeTag } from '../crm/remove-tag.ts';
import { rowPlace, type ChunkRow } from './split-import.ts';

/** Rows of a chunk written at once: each a transaction of its own, so a chunk's writes spread over time and partitions. */
const CONCURRENCY = 8;
/** Attempts at a row the service answered 503 (throttled, or a record others kept changing): then the chunk fails, to be retried whole. */
const BUSY_ATTEMPTS = 8;

/** The operations a change of an existing customer, or its undoing, calls: by name, its handler and its catalog entry. */
const UNDO_OPERATIONS: Record<UndoCall['operation'], [OperationHandler, Parameters<typeof callOperation>[1]]> = {
  updateCrmCustomer: [updateCustomer, crm.updateCrmCustomer],
  updateCrmStatus: [updateStatus, crm.updateCrmStatus],
  assignCrmOwner: [assignOwner, crm.assignCrmOwner],
  removeCrmOwner: [removeOwner, crm.removeCrmOwner],
  setNextAction: [setNextAction, crm.setNextAction],
  addCrmTag: [addTag, crm.addCrmTag],
  removeCrmTag: [removeTag, crm.removeCrmTag],
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An API answer's failure as a line's: its code, the field at fault when the message names one, and the column it came from. */
const failureOf = (status: number, body: unknown, mapping: ImportJob['mapping']): Omit<LineResult, 'line' | 'outcome'> => {
  const message = String((body as { detail?: unknown } | undefined)?.detail ?? `HTTP ${status}`);
  // The API names the member at fault first: "Invalid request body: email must be …", "… customFields.tier is not …".
  const field = /^Invalid request body: ([\w.[\]]+) /.exec(message)?.[1] ?? /\b(customFields\.\w+)/.exec(message)?.[1];
  const column = field ? columnOf(field.replace(/\[\d+\]$/, ''), mapping) : undefined;
  const code = status === 409 ? 'CONFLICT' : status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : status === 413 ? 'TOO_LARGE' : 'INVALID';
  return { code, message, ...(field ? { field } : {}), ...(column ? { column } : {}) };
};

/** Calls an operation for a row, again while the service is busy (503). */
const callForRow = async (
  handler: OperationHandler,
  operation: Parameters<typeof callOperation>[1],
  actor: AuthorizerContext,
  call: Parameters<typeof callOperation>[3],
  context: Context,
) => {
  for (let attempt = 1; ; attempt++) {
    const answer = await callOperation(handler, operation, actor, call, context);
    if (answer.status !== 503 && answer.status !== 429) return answer;
    if (attempt >= BUSY_ATTEMPTS) throw new Error(`import: ${operation.name} stayed busy (${answer.status}) for ${attempt} attempts`);
    await sleep(Math.min(2000, 50 * 2 ** attempt) * Math.random());
  }
};

/** What every row of a chunk is processed with: the job, the tenant's fields (read once a chunk) and their types by key, the chunk's Lambda context, and the job's chunks read so far (a duplicate's first row may be in another). */
interface ChunkWork {
  job: ImportJob;
  fields: FieldsInForce;
  customTypes: ReadonlyMap<string, string>;
  context: Context;
  chunks: Map<number, Promise<ChunkRow[]>>;
}

/** Other chunks a chunk's run keeps read at once (a chunk whose duplicates' first rows lie in many others reads them again, never holds them all). */
const OTHER_CHUNKS_KEPT = 16;

/** The row of the job's file with this ordinal (its chunk read once while kept). */
const rowAt = async (work: ChunkWork, ordinal: number): Promise<ChunkRow | undefined> => {
  const { chunk, index } = rowPlace(ordinal);
  let rows = work.chunks.get(chunk);
  if (!rows) {
    rows = chunkRows(importKeys(work.job.tenantId, work.job.id).chunk(chunk));
    work.chunks.set(chunk, rows);
    // The oldest other chunk goes (the first entry is the chunk's own: kept).
    if (work.chunks.size > OTHER_CHUNKS_KEPT + 1) work.chunks.delete([...work.chunks.keys()][1]!);
  }
  return (await rows)[index];
};

/** The column a failure of the match key names. */
const keyColumn = (job: ImportJob): string => columnOf(job.matchKey, job.mapping) ?? job.matchKey;

/**
 * The customer a row's key names, by the job's match key: none, one, or (by e-mail, the one key
 * several customers may share) several — a failure, never a guess. `record` when it was read.
 */
const findCustomer = async (job: ImportJob, line: number, key: string): Promise<{ existing?: string; record?: CustomerRecord } | { failure: LineResult }> => {
  const field = matchKeyField(job.matchKey);
  if (field !== undefined) return { existing: await customerHolding(job.tenantId, field, claimHash(key)) };
  switch (job.matchKey) {
    case 'id': {
      const record = await getCustomer(job.tenantId, key);
      return record ? { existing: key, record } : {};
    }
    case 'externalId':
      return { existing: await customerHolding(job.tenantId, EXTERNAL_ID, claimHash(key)) };
    default: {
      const ids = await customersMatching(job.tenantId, { kind: 'email', value: key }, 2);
      if (ids.length < 2) return { existing: ids[0] };
      return {
        failure: {
          line,
          outcome: 'failed',
          code: 'AMBIGUOUS_MATCH',
          field: 'email',
          column: keyColumn(job),
          message: `Several customers have this e-mail address (${ids.join(', ')}).`,
        },
      };
    }
  }
};

/** A line's result, with how to undo its write (kept apart from the results: UndoEntry). */
type RowOutcome = LineResult & { undo?: Pick<UndoEntry, 'etag' | 'created' | 'calls'> };

/** One row's outcome. */
const processRow = async (work: ChunkWork, item: ChunkRow): Promise<RowOutcome> => {
  const { job, fields, customTypes, context } = work;
  const { line } = item;
  if ('error' in item) return { line, outcome: 'failed', ...item.error };
  const actor = job.actor as unknown as AuthorizerContext;
  const correlationId = `import-${job.id}`;
  const body = rowBody(item.row, job.mapping, job.format === 'csv', customTypes);
  const key = await matchKeyText(job.matchKey, body, fields);
  delete body.id;
  // A key an earlier row of the file held: that row is the record, this one a duplicate (once the keys themselves compare equal).
  if (item.firstRow !== undefined && key !== undefined) {
    const first = await rowAt(work, item.firstRow);
    if (first && 'row' in first && (await matchKeyText(job.matchKey, rowBody(first.row, job.mapping, job.format === 'csv', customTypes), fields)) === key)
      return {
        line,
        outcome: 'failed',
        code: 'DUPLICATE_KEY',
        field: job.matchKey,
        column: keyColumn(job),
        message: `Line ${first.line} has the same ${job.matchKey}: a file names each record once (this line was not written).`,
      };
  }
  // The customer the row names, by the job's key.
  let existing: string | undefined;
  let record: CustomerRecord | undefined;
  if (key !== undefined) {
    const found = await findCustomer(job, line, key);
    if ('failure' in found) return found.failure;
    ({ existing, record } = found);
  } else if (job.matchKey === 'id' && job.mode !== 'create')
    return { line, outcome: 'failed', code: 'NO_KEY', field: 'id', message: 'The row has no id to match a customer by.' };
  if (job.matchKey === 'id' && key !== undefined && existing === undefined && job.mode !== 'validate')
    return {
      line,
      outcome: 'failed',
      code: 'NOT_FOUND',
      field: 'id',
      message: `No customer ${key}: an id names a customer that exists (match by another key to create).`,
    };

  if (job.mode === 'validate') return validateRow(job, fields, line, body, existing);
  if (existing === undefined) {
    if (job.mode === 'update') return { line, outcome: 'failed', code: 'NOT_FOUND', message: 'No customer matches the row, and the job only updates.' };
    const created = await callForRow(
      createCustomer,
      crm.createCrmCustomer,
      actor,
      { body, headers: { 'idempotency-key': `import-${job.id}-${line}` }, correlationId },
      context,
    );
    if (created.status === 201)
      return { line, outcome: 'created', id: String((created.body as { id: string }).id), undo: { etag: created.headers.etag!, created: true } };
    return { line, outcome: 'failed', ...failureOf(created.status, created.body, job.mapping) };
  }
  if (job.mode === 'create') return { line, outcome: 'skipped', id: existing, code: 'EXISTS', message: 'A customer matches the row; the job only creates.' };
  // update or upsert: what the row says that the customer does not hold yet (matched by id, it was read already).
  record ??= await getCustomer(job.tenantId, existing);
  if (!record) return { line, outcome: 'failed', code: 'NOT_FOUND', message: 'The matched customer is gone.' };
  const steps = changesOf(existing, toCrmCustomer(record, fields), body);
  if (steps.length === 0) return { line, outcome: 'unchanged', id: existing };
  // Each step through its operation, in order; what was done is kept to undo (a revert runs the undo calls backwards).
  const done: UndoCall[] = [];
  let etag = '';
  for (const step of steps) {
    const answer = await callForRow(...UNDO_OPERATIONS[step.call.operation], actor, { ...step.call, correlationId }, context);
    if (answer.status !== 200) {
      const failure = failureOf(answer.status, answer.body, job.mapping);
      const partly = done.length > 0 ? ` (${done.length} of ${steps.length} changes were made before it: a revert undoes them)` : '';
      return {
        line,
        outcome: 'failed',
        id: existing,
        ...failure,
        message: `${failure.message}${partly}`,
        ...(done.length > 0 ? { undo: { etag, calls: done } } : {}),
      };
    }
    etag = answer.headers.etag!;
    done.push(step.undo);
  }
  return { line, outcome: 'updated', id: existing, undo: { etag, calls: done } };
};

/** A change of an existing customer as one API call, and the call that puts back what it changed. */
interface Step {
  call: UndoCall;
  undo: UndoCall;
}

/**
 * The API calls that make an existing customer (its CRM view) hold what the row says: its profile
 * and custom fields by PATCH (only what differs), then its status, owner, next action, and each of
 * its tags it lacks (an import adds tags, never removes one) — each by its own operation, with the
 * call that undoes it. None when the customer holds it all already.
 */
const changesOf = (id: string, current: Record<string, unknown>, body: Record<string, unknown>): Step[] => {
  const { crmStatus, ownerId, tags, nextAction, nextActionDueDate, ...profile } = body;
  const steps: Step[] = [];
  const changes: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(profile)) {
    if (field === 'customFields') {
      const currentCustom = (current.customFields ?? {}) as Record<string, unknown>;
      const changed = Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k, v]) => !jsonEqual(currentCustom[k], v)));
      if (Object.keys(changed).length > 0) changes.customFields = changed;
    } else if (!jsonEqual(current[field], value)) changes[field] = value;
  }
  if (Object.keys(changes).length > 0)
    steps.push({
      call: { operation: 'updateCrmCustomer', params: { id }, body: changes },
      undo: { operation: 'updateCrmCustomer', params: { id }, body: valuesBefore(current, changes) },
    });
  if (crmStatus !== undefined && crmStatus !== current.crmStatus)
    steps.push({
      call: { operation: 'updateCrmStatus', params: { id }, body: { crmStatus } },
      undo: { operation: 'updateCrmStatus', params: { id }, body: { crmStatus: current.crmStatus } },
    });
  if (ownerId !== undefined && ownerId !== current.ownerId)
    steps.push({
      call: { operation: 'assignCrmOwner', params: { id, ownerId: String(ownerId) } },
      undo:
        typeof current.ownerId === 'string'
          ? { operation: 'assignCrmOwner', params: { id, ownerId: current.ownerId } }
          : { operation: 'removeCrmOwner', params: { id } },
    });
  const action = { nextAction: current.nextAction ?? null, nextActionDueDate: current.nextActionDueDate ?? null };
  const wanted = { nextAction: nextAction ?? action.nextAction, nextActionDueDate: nextActionDueDate ?? action.nextActionDueDate };
  if (!jsonEqual(action, wanted))
    steps.push({ call: { operation: 'setNextAction', params: { id }, body: wanted }, undo: { operation: 'setNextAction', params: { id }, body: action } });
  const held = new Set((current.tags as string[] | undefined) ?? []);
  for (const tag of new Set(Array.isArray(tags) ? (tags as unknown[]).map(String) : []))
    if (!held.has(tag)) steps.push({ call: { operation: 'addCrmTag', params: { id, tag } }, undo: { operation: 'removeCrmTag', params: { id, tag } } });
  return steps;
};

/** What a PATCH of `changes` replaces in `current` (the CRM view): each field's value before, null where it had none — the PATCH that puts them back. */
const valuesBefore = (current: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> => {
  const before: Record<string, unknown> = {};
  for (const field of Object.keys(changes)) {
    if (field !== 'customFields') before[field] = current[field] ?? null;
    else {
      const held = (current.customFields ?? {}) as Record<string, unknown>;
      before.customFields = Object.fromEntries(Object.keys(changes.customFields as Record<string, unknown>).map((key) => [key, held[key] ?? null]));
    }
  }
  return before;
};

/**
 * A row checked as a create's body would be — the CRM create's schema, then the tenant's custom
 * fields — without writing anything: valid lines are skipped (nothing written), the others failed
 * with what the API would have answered.
 */
const validateRow = async (
  job: ImportJob,
  fields: FieldsInForce,
  line: number,
  body: Record<string, unknown>,
  existing: string | undefined,
): Promise<LineResult> => {
  const found = existing ? { id: existing } : {};
  try {
    parseWith(CrmCustomerCreate, body, 'request body');
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { line, outcome: 'failed', ...found, ...failureOf(error.status, { detail: error.message }, job.mapping) };
  }
  const { problems } = await checkCustomValues(fields, (body.customFields ?? {}) as Record<string, unknown>, { creating: true });
  if (problems.length > 0) return { line, outcome: 'failed', ...found, ...failureOf(400, { detail: problems.join('; ') }, job.mapping) };
  return { line, outcome: 'skipped', ...found, code: 'VALID', message: 'Valid; a validation job writes nothing.' };
};

/** The rows of a chunk, as the splitter wrote them. */
const chunkRows = async (key: string): Promise<ChunkRow[]> => {
  const text = await readText(key);
  if (text === undefined) throw new Error(`import: chunk ${key} is missing`);
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ChunkRow);
};

/** `work` done for each item, CONCURRENCY at a time, the answers in the items' order. */
const inParallel = async <T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> => {
  const answers: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        answers[i] = await work(items[i]!);
      }
    }),
  );
  return answers;
};

/** An import's chunk: each row written (or checked) as its API request would be. */
const importChunk = async (job: ImportJob, chunk: number, context: Context): Promise<RowOutcome[]> => {
  const rows = await chunkRows(importKeys(job.tenantId, job.id).chunk(chunk));
  const fields = await fieldDefinitionsInForce(job.tenantId, 'customer');
  const work: ChunkWork = { job, fields, customTypes: customTypesOf(fields), context, chunks: new Map([[chunk, Promise.resolve(rows)]]) };
  return inParallel(rows, (row) => processRow(work, row));
};

/** The NDJSON lines of a small object, parsed (none when it is absent). */
const ndjsonOf = async <T>(key: string): Promise<T[] | undefined> =>
  (await readText(key))
    ?.split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);

/**
 * A revert's chunk: each line of the same chunk of the job it reverts, undone as its undo entry
 * says — a customer the import created deleted, one it updated PATCHed back — through the CRM
 * operations, with If-Match the customer's ETag after the import's write: a customer changed (or
 * deleted) since is left as it is and listed (skipped, CHANGED_SINCE or GONE). A line the import
 * wrote nothing for is unchanged; the lines of a chunk the import never finished are skipped
 * (NO_RESULT), as nothing says what they wrote.
 */
const revertChunk = async (job: ImportJob, chunk: number, context: Context): Promise<RowOutcome[]> => {
  const source = importKeys(job.tenantId, job.revertOf!);
  const results = await ndjsonOf<LineResult>(source.results(chunk));
  if (!results)
    return (await chunkRows(source.chunk(chunk))).map(({ line }) => ({
      line,
      outcome: 'skipped',
      code: 'NO_RESULT',
      message: 'The import has no result for this line (its chunk never finished): nothing was reverted.',
    }));
  const undo = new Map(((await ndjsonOf<UndoEntry>(source.undo(chunk))) ?? []).map((entry) => [entry.line, entry]));
  const actor = job.actor as unknown as AuthorizerContext;
  const correlationId = `import-${job.id}`;
  return inParallel(results, async ({ line, id }): Promise<RowOutcome> => {
    const entry = undo.get(line);
    if (!entry) return { line, outcome: 'unchanged', ...(id ? { id } : {}) };
    // A create is undone by a delete; an update by its undo calls, last first, each If-Match the ETag the one before left.
    const calls = entry.created ? [] : [...(entry.calls ?? [])].reverse();
    let etag = entry.etag;
    let answer = entry.created
      ? await callForRow(deleteCustomer, crm.deleteCrmCustomer, actor, { params: { id: entry.id }, headers: { 'if-match': etag }, correlationId }, context)
      : undefined;
    for (const call of calls) {
      answer = await callForRow(...UNDO_OPERATIONS[call.operation], actor, { ...call, headers: { 'if-match': etag }, correlationId }, context);
      if (answer.status !== 200) break;
      etag = answer.headers.etag!;
    }
    if (!answer || answer.status === 204 || answer.status === 200) return { line, outcome: 'reverted', id: entry.id };
    if (answer.status === 412)
      return { line, outcome: 'skipped', id: entry.id, code: 'CHANGED_SINCE', message: 'The customer changed after the import wrote it: left as it is.' };
    if (answer.status === 404) return { line, outcome: 'skipped', id: entry.id, code: 'GONE', message: 'The customer is gone (deleted since the import).' };
    return { line, outcome: 'failed', id: entry.id, ...failureOf(answer.status, answer.body, undefined) };
  });
};

/**
 * Runs one chunk of a running job — an import's rows, or a revert's lines — its outcomes written as
 * its results (and, for an import, how to undo each write) and counted once.
 */
export const processChunk = async (tenantId: string, importId: string, chunk: number, context: Context): Promise<Counts> => {
  const job = await getImportJob(tenantId, importId);
  const counts = noCounts();
  if (job?.status !== 'running') return counts;
  const keys = importKeys(tenantId, importId);
  const outcomes = job.mode === 'revert' ? await revertChunk(job, chunk, context) : await importChunk(job, chunk, context);
  const undo = outcomes.flatMap(({ line, id, undo }) => (undo && id ? [JSON.stringify({ line, id, ...undo } satisfies UndoEntry)] : []));
  if (undo.length > 0) await writeObject(keys.undo(chunk), `${undo.join('\n')}\n`);
  for (const outcome of outcomes) counts[outcome.outcome]++;
  await writeObject(keys.results(chunk), `${outcomes.map(({ undo: _undo, ...result }) => JSON.stringify(result)).join('\n')}\n`);
  if (await countChunk(tenantId, importId, chunk, { ...counts, read: 0 })) await reportProgress(tenantId, importId);
  return counts;
};

/** A running job's progress as an event, when none was written for progressEveryMs(): a sample of its counts, never one per row or chunk. */
const reportProgress = async (tenantId: string, importId: string): Promise<void> => {
  const job = await getImportJob(tenantId, importId);
  const last = job?.progressReported ?? job?.started;
  if (job?.status !== 'running' || (last && Date.now() - Date.parse(last) < progressEveryMs())) return;
  await reportImportProgress(job, new Date().toISOString(), importEvent('ImportProgress', { ...job, sequence: job.sequence + 1 }, job.createdBy));
};

/** The Distributed Map's item processor. */
export const handler = async (item: { tenantId: string; importId: string; chunk: number }, context: Context) =>
  processChunk(item.tenantId, item.importId, item.chunk, context);
