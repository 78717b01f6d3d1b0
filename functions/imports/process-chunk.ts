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
import { callOperation, type InternalCall, type OperationHandler } from '../http/internal-call.ts';
import type { AuthorizerContext } from '../http/kernel.ts';
import { IMPORT_CORRELATION_PREFIX } from '../domain/event-envelope.ts';
import { jsonEqual } from '../domain/canonical-json.ts';
import {
  type CellProblem,
  columnOf,
  CUSTOMER_REFERENCES,
  type CustomerReference,
  customerReferenceOf,
  customTypesOf,
  IMPORT_LIMITS,
  matchKeyField,
  matchKeyText,
  noCounts,
  RECORD_FIELD,
  recordOf,
  rowBody,
  rowKey,
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
import { customerCountAdditions } from '../storage/customers/counters.ts';
import { fieldDefinitionsInForce } from '../storage/fields/field-definitions.ts';
import { importKeys, readText, writeObject } from '../storage/files/files.ts';
import { countChunk, getImportJob, releaseImportSlot, reportImportProgress, takeImportSlot, type ImportJob } from '../storage/imports/import-jobs.ts';
import { importEvent, progressEveryMs } from '../events/import-events.ts';
import { toCrmCustomer } from '../crm/customer-view.ts';
import { crm } from '../crm/operations.ts';
import { ActivityCreate, CrmCustomerCreate, OpportunityCreate } from '../crm/schemas.ts';
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
import { handler as createActivity } from '../crm/create-activity.ts';
import { handler as updateActivity } from '../crm/update-activity.ts';
import { handler as deleteActivity } from '../crm/delete-activity.ts';
import { handler as createOpportunity } from '../crm/create-opportunity.ts';
import { handler as updateOpportunity } from '../crm/update-opportunity.ts';
import { handler as deleteOpportunity } from '../crm/delete-opportunity.ts';
import { childHolding, getChild } from '../storage/customers/customer-children.ts';
import { rowPlace, type ChunkItem, type ChunkRow, type ChunkRows } from './split-import.ts';

/** Rows of a chunk written at once: each a transaction of its own, so a chunk's writes spread over time and partitions. */
const CONCURRENCY = 8;
/** Attempts at a row the service answered 503 (throttled, or a record others kept changing): then the chunk fails, to be retried whole. */
const BUSY_ATTEMPTS = 8;

/** The operations a change of an existing record, or the undoing of a write, calls: by name, its handler and its catalog entry. */
const OPERATIONS: Record<UndoCall['operation'], [OperationHandler, Parameters<typeof callOperation>[1]]> = {
  updateCrmCustomer: [updateCustomer, crm.updateCrmCustomer],
  deleteCrmCustomer: [deleteCustomer, crm.deleteCrmCustomer],
  updateActivity: [updateActivity, crm.updateActivity],
  deleteActivity: [deleteActivity, crm.deleteActivity],
  updateOpportunity: [updateOpportunity, crm.updateOpportunity],
  deleteOpportunity: [deleteOpportunity, crm.deleteOpportunity],
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

/**
 * Calls an operation for a row as the job's creator, again while the service is busy (503). The
 * call is the job's (`importJob` in its authorizer context): correlated `import-<job>`, its events
 * go through the job's relay — summary only, or paced per record (relay-import-events.ts).
 */
const callForRow = async (
  handler: OperationHandler,
  operation: Parameters<typeof callOperation>[1],
  job: ImportJob,
  call: Omit<InternalCall, 'correlationId'>,
  context: Context,
) => {
  const actor: AuthorizerContext = { ...(job.actor as unknown as AuthorizerContext), importJob: job.id };
  for (let attempt = 1; ; attempt++) {
    const answer = await callOperation(handler, operation, actor, { ...call, correlationId: `${IMPORT_CORRELATION_PREFIX}${job.id}` }, context);
    if (answer.status !== 503 && answer.status !== 429) return answer;
    if (attempt >= BUSY_ATTEMPTS) throw new Error(`import: ${operation.name} stayed busy (${answer.status}) for ${attempt} attempts`);
    await sleep(Math.min(2000, 50 * 2 ** attempt) * Math.random());
  }
};

/** What every row of a chunk is processed with: the job, the tenant's fields (read once a chunk) and their types by key, the chunk's Lambda context, and the job's files read so far (a duplicate's first row, a referred line's customer may be in another chunk). */
interface ChunkWork {
  job: ImportJob;
  fields: FieldsInForce;
  customTypes: ReadonlyMap<string, string>;
  context: Context;
  chunks: Map<number, Promise<ChunkRow[]>>;
  customers: Map<number, Promise<Map<number, LineResult>>>;
  firstLines?: Promise<number[]>;
}

/** Other chunks' files a chunk's run keeps read at once (a chunk whose rows point into many others reads them again, never holds them all). */
const OTHER_CHUNKS_KEPT = 16;

/** What `load` gives for a chunk, read once while kept (the oldest other chunk goes when more are kept; the first entry, the chunk's own, stays). */
const keptRead = <T>(kept: Map<number, Promise<T>>, chunk: number, load: () => Promise<T>): Promise<T> => {
  let read = kept.get(chunk);
  if (!read) {
    read = load();
    kept.set(chunk, read);
    if (kept.size > OTHER_CHUNKS_KEPT + 1) kept.delete([...kept.keys()][1]!);
  }
  return read;
};

/** The row of the job's file with this ordinal. */
const rowAt = async (work: ChunkWork, ordinal: number): Promise<ChunkRow | undefined> => {
  const { chunk, index } = rowPlace(ordinal);
  return (await keptRead(work.chunks, chunk, () => chunkRows(importKeys(work.job.tenantId, work.job.id).chunk(chunk))))[index];
};

/** The outcome of the file's customer row on this line (written before any row referring to it ran), if the line is one. */
const customerLineResult = async (work: ChunkWork, line: number): Promise<LineResult | undefined> => {
  const keys = importKeys(work.job.tenantId, work.job.id);
  work.firstLines ??= readText(keys.lines).then((text) => JSON.parse(text ?? '[]') as number[]);
  const firstLines = await work.firstLines;
  // The chunk whose first line is the last at or before the line.
  let [low, high] = [0, firstLines.length - 1];
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (firstLines[mid]! <= line) low = mid;
    else high = mid - 1;
  }
  if (firstLines.length === 0 || firstLines[low]! > line) return undefined;
  const chunk = low + 1;
  const results = await keptRead(work.customers, chunk, async () => {
    const lines = (await ndjsonOf<LineResult>(keys.results(chunk))) ?? (await ndjsonOf<LineResult>(keys.partialResults(chunk))) ?? [];
    return new Map(lines.map((result) => [result.line, result]));
  });
  return results.get(line);
};

/** The column a failure of the match key names. */
const keyColumn = (job: ImportJob, field: string = job.matchKey): string => columnOf(field, job.mapping) ?? field;
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

/** A row's outcome as a chunk keeps it: its result, how to undo its writes, and whether it created a customer (which the chunk then counts in the tenant's count). */
type RowOutcome = LineResult & { undo?: Pick<UndoEntry, 'etag' | 'created' | 'calls'>; newCustomer?: true };

/** One row's outcome: read as its mapping says, checked for a duplicate of an earlier row, then written as the record it is. */
const processRow = async (work: ChunkWork, item: ChunkRow): Promise<RowOutcome> => {
  const { job, fields, customTypes } = work;
  const { line } = item;
  if ('error' in item) return { line, outcome: 'failed', ...item.error };
  const { body, problems } = rowBody(item.row, job, customTypes);
  if (problems.length > 0) {
    const [{ field, column }] = problems as [CellProblem];
    return { line, outcome: 'failed', code: 'INVALID_FORMAT', field, column, message: problems.map((problem) => problem.message).join(' ') };
  }
  const record = recordOf(job.object, body);
  if (!record)
    return {
      line,
      outcome: 'failed',
      code: 'RECORD_TYPE',
      field: RECORD_FIELD,
      column: keyColumn(job, RECORD_FIELD),
      message: `The row's ${RECORD_FIELD} is '${String(body[RECORD_FIELD] ?? '').slice(0, 100)}': customer, activity or opportunity.`,
    };
  // A key an earlier row of the file held: that row is the record, this one a duplicate (once the keys themselves compare equal).
  if (item.firstRow !== undefined) {
    const key = await rowKey(job, body, fields);
    const first = key === undefined ? undefined : await rowAt(work, item.firstRow);
    if (first && 'row' in first && (await rowKey(job, rowBody(first.row, job, customTypes).body, fields)) === key) {
      const field = record === 'customer' ? job.matchKey : 'externalId';
      return {
        line,
        outcome: 'failed',
        code: 'DUPLICATE_KEY',
        field,
        column: keyColumn(job, field),
        message: `Line ${first.line} has the same ${field}: a file names each record once (this line was not written).`,
      };
    }
  }
  delete body[RECORD_FIELD];
  return record === 'customer' ? customerRow(work, line, body) : childRow(work, line, record, body);
};

/** A customer's row: matched by the job's key, then created, or changed where it differs. */
const customerRow = async (work: ChunkWork, line: number, body: Record<string, unknown>): Promise<RowOutcome> => {
  const { job, fields, context } = work;
  const key = await matchKeyText(job.matchKey, body, fields);
  delete body.id;
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

  if (job.mode === 'validate') return validateRow(job, line, body, existing, CrmCustomerCreate, () => customValueProblems(fields, body));
  if (existing === undefined) {
    if (job.mode === 'update') return { line, outcome: 'failed', code: 'NOT_FOUND', message: 'No customer matches the row, and the job only updates.' };
    const created = await callForRow(createCustomer, crm.createCrmCustomer, job, { body, headers: { 'idempotency-key': `import-${job.id}-${line}` } }, context);
    if (created.status !== 201) return { line, outcome: 'failed', ...failureOf(created.status, created.body, job.mapping) };
    const id = String((created.body as { id: string }).id);
    return {
      line,
      outcome: 'created',
      id,
      newCustomer: true,
      undo: { etag: created.headers.etag!, created: true, calls: [{ operation: 'deleteCrmCustomer', params: { id } }] },
    };
  }
  if (job.mode === 'create') return { line, outcome: 'skipped', id: existing, code: 'EXISTS', message: 'A customer matches the row; the job only creates.' };
  // update or upsert: what the row says that the customer does not hold yet (matched by id, it was read already).
  record ??= await getCustomer(job.tenantId, existing);
  if (!record) return { line, outcome: 'failed', code: 'NOT_FOUND', message: 'The matched customer is gone.' };
  return applySteps(work, line, existing, changesOf(existing, toCrmCustomer(record, fields), body));
};

/** Each step through its operation, in order, each one's undoing kept (a revert runs them backwards): updated, unchanged when there is none, or failed saying how many were made. */
const applySteps = async (work: ChunkWork, line: number, id: string, steps: Step[]): Promise<RowOutcome> => {
  const { job, context } = work;
  if (steps.length === 0) return { line, outcome: 'unchanged', id };
  const done: UndoCall[] = [];
  let etag = '';
  for (const step of steps) {
    const answer = await callForRow(...OPERATIONS[step.call.operation], job, step.call, context);
    if (answer.status !== 200) {
      const failure = failureOf(answer.status, answer.body, job.mapping);
      const partly = done.length > 0 ? ` (${done.length} of ${steps.length} changes were made before it: a revert undoes them)` : '';
      return { line, outcome: 'failed', id, ...failure, message: `${failure.message}${partly}`, ...(done.length > 0 ? { undo: { etag, calls: done } } : {}) };
    }
    etag = answer.headers.etag!;
    done.push(step.undo);
  }
  return { line, outcome: 'updated', id, undo: { etag, calls: done } };
};

/** An activity's or opportunity's kind, operations and path parameter. */
const CHILD = {
  activity: {
    kind: 'ACTIVITY',
    create: [createActivity, crm.createActivity],
    schema: ActivityCreate,
    update: 'updateActivity',
    delete: 'deleteActivity',
    param: 'activityId',
  },
  opportunity: {
    kind: 'OPPORTUNITY',
    create: [createOpportunity, crm.createOpportunity],
    schema: OpportunityCreate,
    update: 'updateOpportunity',
    delete: 'deleteOpportunity',
    param: 'opportunityId',
  },
} as const;

/** The customer an activity's or opportunity's row names, by id, external id or the line of the file that brings it: its id (none in a validation of a line not written), or the row's failure. */
const customerOf = async (work: ChunkWork, line: number, reference: CustomerReference): Promise<{ id?: string } | { failure: RowOutcome }> => {
  const { job } = work;
  const failed = (code: string, message: string): { failure: RowOutcome } => ({
    failure: { line, outcome: 'failed', code, field: reference.by, column: keyColumn(job, reference.by), message },
  });
  if (reference.by === 'customerId') return { id: reference.value };
  if (reference.by === 'customerExternalId') {
    const id = await customerHolding(job.tenantId, EXTERNAL_ID, claimHash(reference.value));
    return id ? { id } : failed('NOT_FOUND', `No customer has the externalId '${reference.value.slice(0, 255)}'.`);
  }
  if (!Number.isInteger(reference.line)) return failed('INVALID_REFERENCE', 'customerLine is the number of a line of this file.');
  const result = await customerLineResult(work, reference.line);
  if (!result) return failed('INVALID_REFERENCE', `Line ${reference.line} of the file is not a customer's row.`);
  if (result.outcome === 'failed')
    return failed('REFERENCE_FAILED', `Line ${reference.line} (the customer) failed, so this line was not written: ${result.message ?? result.code}`);
  return result.id ? { id: result.id } : job.mode === 'validate' ? {} : failed('REFERENCE_FAILED', `Line ${reference.line} wrote no customer.`);
};

/**
 * An activity's or opportunity's row: its customer found by its reference, itself matched among
 * the customer's by its external id (a row without one is always new), then created through its
 * API operation, or changed where it differs.
 */
const childRow = async (work: ChunkWork, line: number, record: 'activity' | 'opportunity', body: Record<string, unknown>): Promise<RowOutcome> => {
  const { job, context } = work;
  const child = CHILD[record];
  const reference = customerReferenceOf(body);
  for (const by of CUSTOMER_REFERENCES) delete body[by];
  if (!reference)
    return {
      line,
      outcome: 'failed',
      code: 'NO_CUSTOMER',
      field: 'customerId',
      message: `The ${record} names no customer: customerId, customerExternalId or customerLine.`,
    };
  const customer = await customerOf(work, line, reference);
  if ('failure' in customer) return customer.failure;
  const externalId = typeof body.externalId === 'string' ? body.externalId : undefined;
  const existing = externalId && customer.id ? await childHolding(child.kind, job.tenantId, customer.id, externalId) : undefined;
  if (job.mode === 'validate') return validateRow(job, line, body, existing, child.schema, async () => []);
  const customerId = customer.id!;
  if (existing === undefined) {
    if (job.mode === 'update')
      return { line, outcome: 'failed', code: 'NOT_FOUND', message: `No ${record} of the customer has this externalId, and the job only updates.` };
    const [handler, operation] = child.create;
    const created = await callForRow(
      handler,
      operation,
      job,
      { params: { id: customerId }, body, headers: { 'idempotency-key': `import-${job.id}-${line}` } },
      context,
    );
    if (created.status !== 201) return { line, outcome: 'failed', ...failureOf(created.status, created.body, job.mapping) };
    const id = String((created.body as { id: string }).id);
    const remove: UndoCall = { operation: child.delete, params: { id: customerId, [child.param]: id } };
    return { line, outcome: 'created', id, undo: { etag: created.headers.etag!, created: true, calls: [remove] } };
  }
  if (job.mode === 'create')
    return { line, outcome: 'skipped', id: existing, code: 'EXISTS', message: `The customer has a ${record} with this externalId; the job only creates.` };
  const current = await getChild(child.kind, job.tenantId, customerId, existing);
  if (!current) return { line, outcome: 'failed', code: 'NOT_FOUND', message: `The matched ${record} is gone.` };
  const { externalId: _same, ...fields } = body;
  const changes = Object.fromEntries(Object.entries(fields).filter(([field, value]) => !jsonEqual(current[field], value)));
  const params = { id: customerId, [child.param]: existing };
  const steps: Step[] =
    Object.keys(changes).length === 0
      ? []
      : [{ call: { operation: child.update, params, body: changes }, undo: { operation: child.update, params, body: valuesBefore(current, changes) } }];
  return applySteps(work, line, existing, steps);
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
 * A row checked as its create's body would be — the create's schema, then (a customer's) the
 * tenant's custom fields — without writing anything: valid lines are skipped (nothing written), the
 * others failed with what the API would have answered.
 */
const validateRow = async (
  job: ImportJob,
  line: number,
  body: Record<string, unknown>,
  existing: string | undefined,
  schema: Parameters<typeof parseWith>[0],
  moreProblems: () => Promise<string[]>,
): Promise<LineResult> => {
  const found = existing ? { id: existing } : {};
  try {
    parseWith(schema, body, 'request body');
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { line, outcome: 'failed', ...found, ...failureOf(error.status, { detail: error.message }, job.mapping) };
  }
  const problems = await moreProblems();
  if (problems.length > 0) return { line, outcome: 'failed', ...found, ...failureOf(400, { detail: problems.join('; ') }, job.mapping) };
  return { line, outcome: 'skipped', ...found, code: 'VALID', message: 'Valid; a validation job writes nothing.' };
};

/** A customer's custom values as its create checks them. */
const customValueProblems = async (fields: FieldsInForce, body: Record<string, unknown>): Promise<string[]> =>
  (await checkCustomValues(fields, (body.customFields ?? {}) as Record<string, unknown>, { creating: true })).problems;

/** The NDJSON lines of a small object, parsed (none when it is absent). */
const ndjsonOf = async <T>(key: string): Promise<T[] | undefined> =>
  (await readText(key))
    ?.split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);

/** The rows of a chunk, as the splitter wrote them. */
const chunkRows = async (key: string): Promise<ChunkRow[]> => {
  const rows = await ndjsonOf<ChunkRow>(key);
  if (!rows) throw new Error(`import: chunk ${key} is missing`);
  return rows;
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

/** An import's chunk: each of its rows this run takes (its customers, the others, or all) written (or checked) as its API request would be. */
const importChunk = async (job: ImportJob, chunk: number, rows: ChunkRows, context: Context): Promise<RowOutcome[]> => {
  const all = await chunkRows(importKeys(job.tenantId, job.id).chunk(chunk));
  const fields = await fieldDefinitionsInForce(job.tenantId, 'customer');
  const customTypes = customTypesOf(fields);
  const work: ChunkWork = { job, fields, customTypes, context, chunks: new Map([[chunk, Promise.resolve(all)]]), customers: new Map() };
  const isCustomer = (item: ChunkRow) => 'row' in item && recordOf(job.object, rowBody(item.row, job, customTypes).body) === 'customer';
  const mine = rows === 'all' ? all : all.filter((item) => isCustomer(item) === (rows === 'customers'));
  return inParallel(mine, (row) => processRow(work, row));
};

/** Is this undo entry an activity's or opportunity's (its calls are theirs)? */
const undoesChild = (entry: UndoEntry | undefined): boolean => entry?.calls.some(({ operation }) => /Activity|Opportunity/.test(operation)) ?? false;

/**
 * A revert's chunk: each line of the same chunk of the job it reverts (its activities and
 * opportunities, the rest, or all), undone as its undo entry says — what the import created deleted,
 * what it changed put back — through the CRM operations, last write first, each with If-Match the
 * record's ETag after the import's write (then the ETag the one before left): a record changed (or
 * deleted) since is left as it is and listed (skipped, CHANGED_SINCE or GONE). A line the import
 * wrote nothing for is unchanged; the lines of a chunk the import never finished are skipped
 * (NO_RESULT), as nothing says what they wrote.
 */
const revertChunk = async (job: ImportJob, chunk: number, rows: ChunkRows, context: Context): Promise<RowOutcome[]> => {
  const source = importKeys(job.tenantId, job.revertOf!);
  const results = await ndjsonOf<LineResult>(source.results(chunk));
  if (!results)
    return rows === 'children'
      ? []
      : (await chunkRows(source.chunk(chunk))).map(({ line }) => ({
          line,
          outcome: 'skipped',
          code: 'NO_RESULT',
          message: 'The import has no result for this line (its chunk never finished): nothing was reverted.',
        }));
  const undo = new Map(((await ndjsonOf<UndoEntry>(source.undo(chunk))) ?? []).map((entry) => [entry.line, entry]));
  const mine = rows === 'all' ? results : results.filter(({ line }) => undoesChild(undo.get(line)) === (rows === 'children'));
  return inParallel(mine, async ({ line, id }): Promise<RowOutcome> => {
    const entry = undo.get(line);
    if (!entry) return { line, outcome: 'unchanged', ...(id ? { id } : {}) };
    let etag = entry.etag;
    let answer: Awaited<ReturnType<typeof callForRow>> | undefined;
    for (const call of [...entry.calls].reverse()) {
      answer = await callForRow(...OPERATIONS[call.operation], job, { ...call, headers: { 'if-match': etag } }, context);
      if (answer.status !== 200 && answer.status !== 204) break;
      etag = answer.headers.etag ?? etag;
    }
    if (!answer || answer.status === 204 || answer.status === 200) return { line, outcome: 'reverted', id: entry.id };
    if (answer.status === 412)
      return { line, outcome: 'skipped', id: entry.id, code: 'CHANGED_SINCE', message: 'The record changed after the import wrote it: left as it is.' };
    if (answer.status === 404) return { line, outcome: 'skipped', id: entry.id, code: 'GONE', message: 'The record is gone (deleted since the import).' };
    return { line, outcome: 'failed', id: entry.id, ...failureOf(answer.status, answer.body, undefined) };
  });
};

const ndjson = (values: readonly unknown[]): string => `${values.map((value) => JSON.stringify(value)).join('\n')}\n`;

/**
 * Runs one chunk of a running job — an import's rows, or a revert's lines; all of them, or (a chunk
 * run twice: `first`, then the rest) part of them — holding one of its tenant's chunk slots. A first run's outcomes are kept aside (with how to
 * undo them) and counted; the last run writes all the chunk's results in line order (and, for an
 * import, how to undo each write) and counts its own, the chunk then done — each once.
 */
export const processChunk = async (item: Omit<ChunkItem, 'rows'> & { rows?: ChunkRows }, context: Context): Promise<Counts> => {
  const { tenantId, importId, chunk, rows = 'all', first } = item;
  if ((await getImportJob(tenantId, importId))?.status !== 'running') return noCounts();
  return withTenantSlot(tenantId, `${importId}/${chunk}/${rows}`, () => runChunk({ tenantId, importId, chunk, rows, first }, context));
};

/** How long a chunk's run holds its tenant's slot at most (Lambda's 15 minutes, and a margin): a run that crashed frees it then. */
const SLOT_HOLD_MS = 16 * 60_000;
/** How long a chunk waits for one of its tenant's slots before it gives up (TenantBusy: the state machine runs it again later). */
const slotWaitMs = () => Number(process.env.IMPORT_SLOT_WAIT_SECONDS ?? 60) * 1000;

/** All of the tenant's chunk slots stayed taken (by its other jobs' chunks): this chunk runs later. */
export class TenantBusy extends Error {
  constructor(tenantId: string) {
    super(`tenant ${tenantId} runs ${IMPORT_LIMITS.tenantChunkConcurrency} import chunks already`);
    this.name = 'TenantBusy';
  }
}

/** `work` run holding one of the tenant's chunk slots (IMPORT_LIMITS.tenantChunkConcurrency), waited for a while when all are taken. */
const withTenantSlot = async <T>(tenantId: string, holder: string, work: () => Promise<T>): Promise<T> => {
  const deadline = Date.now() + slotWaitMs();
  const take = () => takeImportSlot(tenantId, IMPORT_LIMITS.tenantChunkConcurrency, holder, SLOT_HOLD_MS);
  let slot = await take();
  while (slot === undefined) {
    if (Date.now() > deadline) throw new TenantBusy(tenantId);
    await sleep(250 + Math.random() * 750);
    slot = await take();
  }
  try {
    return await work();
  } finally {
    await releaseImportSlot(tenantId, slot, holder);
  }
};

const runChunk = async ({ tenantId, importId, chunk, rows, first }: Omit<ChunkItem, 'rows'> & { rows: ChunkRows }, context: Context): Promise<Counts> => {
  const job = await getImportJob(tenantId, importId);
  const counts = noCounts();
  if (job?.status !== 'running') return counts;
  const keys = importKeys(tenantId, importId);
  const own = job.mode === 'revert' ? await revertChunk(job, chunk, rows, context) : await importChunk(job, chunk, rows, context);
  for (const outcome of own) counts[outcome.outcome]++;
  // The customers this run created, in the tenant's count: one summed update a shard, with the chunk's counts (their creates left it out).
  const tenantCount = customerCountAdditions(
    tenantId,
    own.flatMap(({ id, newCustomer }) => (newCustomer && id ? [id] : [])),
  );
  if (first) {
    await writeObject(keys.partialResults(chunk), ndjson(own));
    if (await countChunk(tenantId, importId, chunk, { ...counts, read: 0 }, 'first', tenantCount)) await reportProgress(tenantId, importId);
    return counts;
  }
  let outcomes = own;
  if (rows !== 'all') {
    const earlier = await ndjsonOf<RowOutcome>(keys.partialResults(chunk));
    if (!earlier) throw new Error(`import ${importId}: chunk ${chunk}'s first run left no outcomes`);
    outcomes = [...earlier, ...own].sort((a, b) => a.line - b.line);
  }
  const undo = outcomes.flatMap(({ line, id, undo }) => (undo && id ? [{ line, id, ...undo } satisfies UndoEntry] : []));
  if (undo.length > 0) await writeObject(keys.undo(chunk), ndjson(undo));
  await writeObject(keys.results(chunk), ndjson(outcomes.map(({ undo: _undo, newCustomer: _new, ...result }) => result)));
  if (await countChunk(tenantId, importId, chunk, { ...counts, read: 0 }, undefined, tenantCount)) await reportProgress(tenantId, importId);
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
export const handler = async (item: ChunkItem, context: Context) => processChunk(item, context);
