/**
 * Bulk import (issue 27), as data: an import job — what it brings in, how rows match customers
 * already there, how columns map to fields — its outcomes per line and its counts. A row becomes
 * what a CRM create request would carry (`rowBody`), so the API's own checks judge it.
 *
 * Nothing here reads the table or the bucket.
 */
import { isValid, parse } from 'date-fns';
import { checkValue, loadFieldEngines, uniqueValueKey } from './custom-fields.ts';
import type { FieldsInForce } from './custom-values.ts';
import { normaliseEmail } from './match-keys.ts';

/** What a job's rows are: customers, activities or opportunities (each of a customer), or a mix, each row naming what it is (RECORD_FIELD). */
export const IMPORT_OBJECTS = ['customers', 'activities', 'opportunities', 'mixed'] as const;
/** What one row is. */
export const RECORD_TYPES = ['customer', 'activity', 'opportunity'] as const;
/** The field (a column mapped to it, or named so) by which a row of a mixed file says what it is. */
export const RECORD_FIELD = 'record';
/**
 * How an activity's or opportunity's row names its customer: its id, its external id, or the
 * (physical) line of the same file that brings the customer — resolved once the file's customers
 * are written (a job's customer rows run before the rows that refer to them).
 */
export const CUSTOMER_REFERENCES = ['customerId', 'customerExternalId', 'customerLine'] as const;
/** What a created job does with its rows. */
export const IMPORT_MODES = ['create', 'update', 'upsert', 'validate'] as const;
/** What a job may do: an import's modes, or reverting another job (made by POST …/revert, never by a create). */
export const JOB_MODES = [...IMPORT_MODES, 'revert'] as const;
/** Built-in match keys; `customFields.<key>` names a unique custom field as the key. */
export const IMPORT_MATCH_KEYS = ['id', 'externalId', 'email'] as const;
export const IMPORT_FORMATS = ['csv', 'ndjson'] as const;
export const IMPORT_STATUSES = ['awaiting-upload', 'queued', 'splitting', 'running', 'completed', 'failed', 'cancelled'] as const;
/** A job in one of these has not ended: it can be cancelled. */
export const ACTIVE_IMPORT_STATUSES = ['awaiting-upload', 'queued', 'splitting', 'running'] as const;
/** A line's outcome: what an import did with its row — or, in a revert, `reverted` (what the import did was undone). */
export const OUTCOMES = ['created', 'updated', 'unchanged', 'failed', 'skipped', 'reverted'] as const;

export type ImportObject = (typeof IMPORT_OBJECTS)[number];
export type RecordType = (typeof RECORD_TYPES)[number];
export type ImportMode = (typeof JOB_MODES)[number];
export type ImportMatchKey = (typeof IMPORT_MATCH_KEYS)[number] | `customFields.${string}`;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export type Outcome = (typeof OUTCOMES)[number];

export const IMPORT_LIMITS = {
  /** The largest file a job takes (S3's multipart upload of 10,000 parts reaches further). */
  fileBytes: 5 * 1024 ** 3,
  /** Rows a chunk holds: one chunk function's work, its results one object. */
  chunkRows: 1000,
  /** Columns of a CSV file (a "CSV bomb" of columns is a job failure, not a worker's memory). */
  columns: 500,
  /** Bytes of one record (a line of several MB is a row error in NDJSON, a job failure in CSV, where the parser cannot find the next record). */
  recordBytes: 1024 * 1024,
  /** Upload parts: a part per 64 MiB (S3 takes 5 MiB to 5 GiB a part, 10,000 parts). */
  partBytes: 64 * 1024 * 1024,
  /** Chunks of one job run at once (the Distributed Map's MaxConcurrency; the local driver's). */
  chunkConcurrency: 4,
  /** Chunks of all of a tenant's jobs that run at once (a slot each, storage/imports: a tenant's third job waits for a slot, so its imports never crowd out its live traffic). */
  tenantChunkConcurrency: 8,
} as const;

export type Counts = Record<'read' | Outcome, number>;
export const noCounts = (): Counts => ({ read: 0, created: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0, reverted: 0 });

/** Lines with an outcome so far: created + updated + unchanged + failed + skipped (+ reverted, in a revert). */
export const accountedFor = (counts: Counts): number => OUTCOMES.reduce((sum, outcome) => sum + (counts[outcome] ?? 0), 0);

/** What a job is asked to do, as its creator gave it (checked by the operation's schema). */
/**
 * Where a column goes: a field, and how its text reads — `dateFormat` (date-fns tokens, e.g.
 * `dd/MM/yyyy`, `MM/dd/yyyy HH:mm`; read as UTC) for a date, `values` for an enum (the file's
 * words → the field's: `{"Hot": "QUALIFIED"}`).
 */
export interface ColumnMapping {
  field: string;
  dateFormat?: string;
  values?: Record<string, string>;
}
/** Column → field (or a ColumnMapping). */
export type Mapping = Record<string, string | ColumnMapping>;

export interface ImportSpec {
  object: ImportObject;
  mode: ImportMode;
  matchKey: ImportMatchKey;
  format: ImportFormat;
  /** CSV: the delimiter (one character; `,` by default). */
  delimiter?: string;
  /** Column (CSV header, NDJSON member) → field (`name`, `email`, `customFields.tier`, …), or a ColumnMapping; unmapped columns are left out. Without one, columns are named as fields. */
  mapping?: Mapping;
  /** The file's size as declared: a bigger upload fails the job. */
  bytes: number;
  /** A revert job's: the job whose writes it undoes. */
  revertOf?: string;
  /**
   * Each row's own events (the API's: CustomerCreated, CustomerCreateEvent, …) on the bus and to
   * the webhooks, paced behind live traffic; without it (the default) the job emits its summary
   * only, and its rows' events are kept in the table and the feed (README, "Bulk import", Events).
   */
  recordEvents?: boolean;
}

/** A job's state beside its spec: what its view and its events show (storage's ImportJob holds more: who it writes as, its upload). */
export interface ImportJobState extends ImportSpec {
  id: string;
  status: ImportStatus;
  counts: Counts;
  chunks?: number;
  chunksDone: number;
  failure?: { code: string; message: string; line?: number };
  created: string;
  updated: string;
  started?: string;
  finished?: string;
}

/** A job as the API and its events show it: its spec, status, counts and progress (rows done a second since it started, and when it should end at that pace). */
export const importView = (job: ImportJobState, now = Date.now()) => {
  const done = accountedFor(job.counts);
  const elapsed = job.started ? ((job.finished ? Date.parse(job.finished) : now) - Date.parse(job.started)) / 1000 : 0;
  const rowsPerSecond = elapsed > 0 ? Math.round((done / elapsed) * 10) / 10 : 0;
  // The end at this pace, once the splitter has counted the rows (and while some remain).
  const remaining = job.chunks !== undefined && job.status === 'running' ? job.counts.read - done : undefined;
  return {
    id: job.id,
    object: job.object,
    mode: job.mode,
    matchKey: job.matchKey,
    format: job.format,
    ...(job.delimiter ? { delimiter: job.delimiter } : {}),
    ...(job.mapping ? { mapping: job.mapping } : {}),
    bytes: job.bytes,
    ...(job.revertOf ? { revertOf: job.revertOf } : {}),
    recordEvents: job.recordEvents ?? false,
    status: job.status,
    counts: job.counts,
    ...(job.chunks !== undefined ? { chunks: job.chunks } : {}),
    chunksDone: job.chunksDone,
    ...(job.started
      ? {
          progress: {
            done,
            rowsPerSecond,
            ...(remaining !== undefined && remaining > 0 && rowsPerSecond > 0
              ? { estimatedEnd: new Date(now + (remaining / rowsPerSecond) * 1000).toISOString() }
              : {}),
          },
        }
      : {}),
    ...(job.failure ? { failure: job.failure } : {}),
    created: job.created,
    updated: job.updated,
    ...(job.started ? { started: job.started } : {}),
    ...(job.finished ? { finished: job.finished } : {}),
  };
};

/** A CRM operation's call on a customer (by the operation's name): a step of an import's change of it, or of its undoing. */
export interface UndoCall {
  operation:
    | 'updateCrmCustomer'
    | 'deleteCrmCustomer'
    | 'updateCrmStatus'
    | 'assignCrmOwner'
    | 'removeCrmOwner'
    | 'setNextAction'
    | 'addCrmTag'
    | 'removeCrmTag'
    | 'updateActivity'
    | 'deleteActivity'
    | 'updateOpportunity'
    | 'deleteOpportunity';
  params: Record<string, string>;
  body?: Record<string, unknown>;
}

/**
 * How to undo what an import did to a line's record (a customer, activity or opportunity), kept
 * beside its results (never shown: it holds values the reader may not be allowed to see): the
 * calls that undo each of its writes — the delete of what it created, or the calls that put back
 * what each change replaced — in the order the writes were made (a revert runs them last first),
 * and the record's ETag after the import's last write: the revert's If-Match, so a record
 * changed since is left as it is.
 */
export interface UndoEntry {
  line: number;
  id: string;
  etag: string;
  created?: true;
  calls: UndoCall[];
}

/** One line's outcome, as the results list it. */
export interface LineResult {
  line: number;
  outcome: Outcome;
  id?: string;
  /** For a failure: a code, the field (and its column) when one is at fault, and what is wrong. */
  code?: string;
  field?: string;
  column?: string;
  message?: string;
}

/** The fields a customer's row can fill: what a CRM create takes, `customFields.<key>`, and `id` (to match by). */
export const IMPORT_FIELDS: readonly string[] = [
  'id',
  'externalId',
  'name',
  'type',
  'email',
  'phone',
  'crmStatus',
  'ownerId',
  'teamId',
  'tags',
  'nextAction',
  'nextActionDueDate',
  'industry',
  'leadSource',
  'preferredLanguage',
  'region',
  'website',
  'btw',
  'kvk',
  'subsidiaryId',
];
/** The fields an activity's row can fill: what its create takes (`externalId` is what it is matched by), and its customer. */
export const ACTIVITY_IMPORT_FIELDS: readonly string[] = [
  ...CUSTOMER_REFERENCES,
  'externalId',
  'type',
  'subject',
  'description',
  'dueDate',
  'scheduledAt',
  'durationMinutes',
  'location',
  'attendees',
  'priority',
  'ownerId',
  'outcome',
  'contactName',
  'contactEmail',
  'contactPhone',
  'opportunityId',
];
/** The fields an opportunity's row can fill. */
export const OPPORTUNITY_IMPORT_FIELDS: readonly string[] = [
  ...CUSTOMER_REFERENCES,
  'externalId',
  'name',
  'status',
  'description',
  'value',
  'probability',
  'expectedCloseDate',
  'productIds',
  'ownerId',
  'nextAction',
  'nextActionDueDate',
  'source',
  'notes',
  'tags',
];
const FIELDS_OF: Record<RecordType, readonly string[]> = { customer: IMPORT_FIELDS, activity: ACTIVITY_IMPORT_FIELDS, opportunity: OPPORTUNITY_IMPORT_FIELDS };
/** The built-in fields a row of this kind can fill. */
export const fieldsOf = (record: RecordType): readonly string[] => FIELDS_OF[record];
export const CUSTOM_FIELD_PREFIX = 'customFields.';

/** The kinds of row a job of this object holds. */
export const recordTypesOf = (object: ImportObject): readonly RecordType[] =>
  object === 'mixed' ? RECORD_TYPES : [({ customers: 'customer', activities: 'activity', opportunities: 'opportunity' } as const)[object]];

/** Is this a field a column of a job of this object may map to? */
export const isImportField = (field: string, object: ImportObject): boolean => {
  const records = recordTypesOf(object);
  return (
    (object === 'mixed' && field === RECORD_FIELD) ||
    records.some((record) => fieldsOf(record).includes(field)) ||
    (records.includes('customer') && field.startsWith(CUSTOM_FIELD_PREFIX) && field.length > CUSTOM_FIELD_PREFIX.length)
  );
};

/** A list in one cell: tags, attendees, products and multi-select values are separated by `;`. */
export const LIST_SEPARATOR = ';';
/** Built-in fields a cell of text fills with a list, or a number. */
const LIST_FIELDS = new Set(['tags', 'attendees', 'productIds']);
const NUMBER_FIELDS = new Set(['durationMinutes', 'value', 'probability', 'customerLine']);

/** What a row is: its job's object's one kind, or in a mixed file what its `record` field says (undefined when it says nothing the job knows). */
export const recordOf = (object: ImportObject, body: Record<string, unknown>): RecordType | undefined => {
  if (object !== 'mixed') return recordTypesOf(object)[0];
  const named = body[RECORD_FIELD];
  const record = typeof named === 'string' ? named.trim().toLowerCase() : undefined;
  return RECORD_TYPES.find((type) => type === record);
};

/** A cell the mapping could not read (a date not in its format): the line fails naming the column. */
export interface CellProblem {
  field: string;
  column: string;
  message: string;
}

/**
 * A row as its create body would carry it: each mapped column's value under its field (custom
 * fields under `customFields`), empty cells left out, each read as its mapping says (an enum's
 * words translated, a date in its format made ISO 8601); CSV text becomes what the field takes — a
 * list for tags, attendees, products and a multi-select field, a number for a number field, a
 * boolean for a yes/no one. `customTypes` gives a custom field's type by key. A cell the mapping
 * cannot read is a problem, not a guess.
 */
export const rowBody = (
  row: Record<string, unknown>,
  job: Pick<ImportSpec, 'mapping' | 'format'>,
  customTypes: ReadonlyMap<string, string>,
): { body: Record<string, unknown>; problems: CellProblem[] } => {
  const fromText = job.format === 'csv';
  const body: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  const problems: CellProblem[] = [];
  for (const [column, raw] of Object.entries(row)) {
    const target = job.mapping ? job.mapping[column] : column;
    if (target === undefined || raw === undefined || raw === null || raw === '') continue;
    const { field, dateFormat, values } = typeof target === 'string' ? ({ field: target } as ColumnMapping) : target;
    let value: unknown = raw;
    if (typeof value === 'string' && values) value = values[value] ?? values[value.trim()] ?? value;
    const customKey = field.startsWith(CUSTOM_FIELD_PREFIX) ? field.slice(CUSTOM_FIELD_PREFIX.length) : undefined;
    const customType = customKey === undefined ? undefined : customTypes.get(customKey);
    if (typeof value === 'string' && dateFormat) {
      const date = dateIn(value, dateFormat, customType === 'date');
      if (date === undefined) {
        problems.push({ field, column, message: `'${value.slice(0, 100)}' is not a date in the format ${dateFormat}.` });
        continue;
      }
      value = date;
    }
    if (customKey !== undefined) custom[customKey] = fromText && typeof value === 'string' ? customFromText(value, customType) : value;
    else body[field] = fromText && typeof value === 'string' ? builtInFromText(field, value) : value;
  }
  if (Object.keys(custom).length > 0) body.customFields = custom;
  return { body, problems };
};

/** A date in a date-fns format as ISO 8601 (a date alone for a date field, else a UTC date-time), or undefined when it is not one. */
const dateIn = (text: string, format: string, dateOnly: boolean): string | undefined => {
  const parsed = parse(text.trim(), format, new Date(0));
  if (!isValid(parsed)) return undefined;
  // date-fns reads the fields in the process's time zone: the same fields, taken as UTC.
  const utc = new Date(
    Date.UTC(parsed.getFullYear(), parsed.getMonth(), parsed.getDate(), parsed.getHours(), parsed.getMinutes(), parsed.getSeconds(), parsed.getMilliseconds()),
  );
  return dateOnly ? utc.toISOString().slice(0, 10) : utc.toISOString();
};

/** A built-in field's text as the field takes it: a list, a number (a cell that is not one is passed on, for the field's own check to name). */
const builtInFromText = (field: string, text: string): unknown => {
  if (LIST_FIELDS.has(field)) return splitList(text);
  if (NUMBER_FIELDS.has(field)) {
    const number = Number(text.trim());
    return text.trim() !== '' && Number.isFinite(number) ? number : text;
  }
  return text;
};

const splitList = (text: string): string[] =>
  text
    .split(LIST_SEPARATOR)
    .map((part) => part.trim())
    .filter((part) => part !== '');

/** A cell's text as a custom field of this type takes it (a value it cannot be is passed on as text, for the field's own check to name). */
const customFromText = (text: string, type: string | undefined): unknown => {
  switch (type) {
    case 'integer':
    case 'decimal': {
      const number = Number(text.trim());
      return text.trim() !== '' && Number.isFinite(number) ? number : text;
    }
    case 'money': {
      const number = Number(text.trim());
      return Number.isFinite(number) ? number : text;
    }
    case 'boolean':
      return /^(true|yes|1)$/i.test(text.trim()) ? true : /^(false|no|0)$/i.test(text.trim()) ? false : text;
    case 'multiEnum':
      return splitList(text);
    default:
      return text;
  }
};

/** The custom fields' types by key, as rowBody reads cells. */
export const customTypesOf = (fields: FieldsInForce): ReadonlyMap<string, string> => new Map([...fields].map(([key, definition]) => [key, definition.type]));

/** The field a mapping's entry fills. */
export const fieldOf = (target: string | ColumnMapping): string => (typeof target === 'string' ? target : target.field);

/** The column a field came from (for a failure's report), by the mapping or by its own name. */
export const columnOf = (field: string, mapping: Mapping | undefined): string | undefined => {
  if (!mapping) return field;
  return Object.entries(mapping).find(([, entry]) => {
    const target = fieldOf(entry);
    return target === field || field.startsWith(`${target}.`) || field.startsWith(`${target}[`);
  })?.[0];
};

/** The custom field a match key names (`customFields.<key>`), if it names one. */
export const matchKeyField = (matchKey: ImportMatchKey): string | undefined =>
  matchKey.startsWith(CUSTOM_FIELD_PREFIX) ? matchKey.slice(CUSTOM_FIELD_PREFIX.length) : undefined;

/**
 * A row's key (its body: rowBody) as the job's match key compares it: the id and the external id as
 * given, the e-mail address without case, a unique custom field's value as its uniqueness compares it
 * (checked and normalised by the field: a phone as E.164). Undefined when the row has none, or a value
 * the field cannot hold (the write then says what is wrong).
 */
export const matchKeyText = async (matchKey: ImportMatchKey, body: Record<string, unknown>, fields: FieldsInForce): Promise<string | undefined> => {
  const key = matchKeyField(matchKey);
  if (key === undefined) {
    const value = body[matchKey];
    if (typeof value !== 'string' || value === '') return undefined;
    return matchKey === 'email' ? normaliseEmail(value) : value;
  }
  const definition = fields.get(key);
  const value = (body.customFields as Record<string, unknown> | undefined)?.[key];
  if (!definition || value === undefined || value === null || value === '') return undefined;
  await loadFieldEngines([definition]);
  const checked = checkValue(definition, value);
  return checked.ok ? uniqueValueKey(definition, checked.value) : undefined;
};

/** How an activity's or opportunity's row names its customer (CUSTOMER_REFERENCES): the first it gives. */
export type CustomerReference = { by: 'customerId'; value: string } | { by: 'customerExternalId'; value: string } | { by: 'customerLine'; line: number };

export const customerReferenceOf = (body: Record<string, unknown>): CustomerReference | undefined => {
  for (const by of CUSTOMER_REFERENCES) {
    const value = body[by];
    if (value === undefined) continue;
    if (by === 'customerLine') return { by, line: typeof value === 'number' ? value : Number.NaN };
    return { by, value: String(value) };
  }
  return undefined;
};

/**
 * A row's key (its body: rowBody) for finding its duplicates in the file: a customer's by the job's match key
 * (matchKeyText), an activity's or opportunity's its customer reference and external id; undefined
 * when it has none. Kinds never share a key.
 */
export const rowKey = async (
  job: Pick<ImportSpec, 'matchKey' | 'object'>,
  body: Record<string, unknown>,
  fields: FieldsInForce,
): Promise<string | undefined> => {
  const record = recordOf(job.object, body);
  if (record === 'customer') {
    const key = await matchKeyText(job.matchKey, body, fields);
    return key === undefined ? undefined : `customer\n${key}`;
  }
  const reference = customerReferenceOf(body);
  if (!record || !reference || typeof body.externalId !== 'string' || body.externalId === '') return undefined;
  return `${record}\n${reference.by}\n${'line' in reference ? reference.line : reference.value}\n${body.externalId}`;
};
