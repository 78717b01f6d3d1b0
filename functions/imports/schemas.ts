import * as z from 'zod/mini';
import { EXPORT_FORMATS, EXPORT_INCLUDES, EXPORT_STATUSES } from '../domain/exports.ts';
import { FIELD_KEY } from '../domain/custom-fields.ts';
import {
  IMPORT_FORMATS,
  IMPORT_LIMITS,
  IMPORT_MATCH_KEYS,
  IMPORT_MODES,
  IMPORT_OBJECTS,
  IMPORT_STATUSES,
  fieldOf,
  fieldsOf,
  isImportField,
  JOB_MODES,
  recordTypesOf,
  OUTCOMES,
} from '../domain/imports.ts';

/** The error body of the APIs under /api/v1. */
export const ImportError = z.lazy(() => z.object({ title: z.string(), detail: z.string(), time: z.string() }));

/** How a row finds the customer it is: by id, external id, e-mail address, or a unique custom field (`customFields.<key>`). */
const MatchKey = z.lazy(() =>
  z.union([
    z.enum(IMPORT_MATCH_KEYS),
    z
      .string()
      .check(
        z.regex(new RegExp(`^customFields\\.${FIELD_KEY.source.slice(1)}`), 'id, externalId, email or customFields.<key>'),
      ) as z.ZodMiniType<`customFields.${string}`>,
  ]),
);

/** Where a column goes: a field, or a field with how its text reads (a date's format, an enum's words). */
const ColumnTarget = z.lazy(() =>
  z.union([
    z.string().check(z.minLength(1), z.maxLength(300)),
    z.strictObject({
      field: z.string().check(z.minLength(1), z.maxLength(300)),
      /** date-fns tokens: `dd/MM/yyyy`, `MM/dd/yyyy HH:mm`, `yyyyMMdd`, … (read as UTC). */
      dateFormat: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
      /** The file's words → the field's values (`{"Hot": "QUALIFIED"}`). */
      values: z.optional(
        z
          .record(z.string().check(z.maxLength(200)), z.string().check(z.maxLength(200)))
          .check(z.refine((values) => Object.keys(values).length <= 1000, 'at most 1000 values')),
      ),
    }),
  ]),
);

/** A new import job: what it brings in, how rows match, how columns map to fields, the file's size. */
export const ImportCreate = z.lazy(() =>
  z
    .strictObject({
      object: z.enum(IMPORT_OBJECTS),
      mode: z.enum(IMPORT_MODES),
      /** How a customer's row finds the customer it is (externalId when not given); an activity or opportunity is matched by its externalId among its customer's. */
      matchKey: z.optional(MatchKey),
      format: z.enum(IMPORT_FORMATS),
      delimiter: z.optional(
        z.string().check(
          z.length(1),
          z.refine((d) => d !== '"' && d !== '\n' && d !== '\r', 'not a quote or a line break'),
        ),
      ),
      mapping: z.optional(
        z
          .record(z.string().check(z.minLength(1), z.maxLength(200)), ColumnTarget)
          .check(z.refine((m) => Object.keys(m).length <= IMPORT_LIMITS.columns, `at most ${IMPORT_LIMITS.columns} columns`)),
      ),
      bytes: z.int().check(z.minimum(1), z.maximum(IMPORT_LIMITS.fileBytes)),
      /** Each row's own events on the bus and to the webhooks, paced behind live traffic (default: the job's summary events only). */
      recordEvents: z.optional(z.boolean()),
    })
    .check(
      z.superRefine((spec, context) => {
        for (const [column, target] of Object.entries(spec.mapping ?? {})) {
          const field = fieldOf(target);
          if (!isImportField(field, spec.object))
            context.issues.push({
              code: 'custom',
              input: field,
              path: ['mapping', column],
              message: `'${field.slice(0, 100)}' is not a field a row of ${spec.object} can fill (${recordTypesOf(spec.object)
                .map((record) => `${record}: ${fieldsOf(record).slice(0, 6).join(', ')}, …`)
                .join('; ')}${spec.object === 'customers' || spec.object === 'mixed' ? '; customFields.<key>' : ''})`,
            });
        }
      }),
    ),
);

/** Starting a job: the parts its file was uploaded in, each with the ETag S3 answered. */
export const ImportStart = z.lazy(() =>
  z.strictObject({
    parts: z
      .array(z.strictObject({ partNumber: z.int().check(z.minimum(1), z.maximum(10_000)), etag: z.string().check(z.minLength(1), z.maxLength(200)) }))
      .check(z.minLength(1), z.maxLength(10_000)),
  }),
);

const Counts = z.object({
  read: z.int(),
  created: z.int(),
  updated: z.int(),
  unchanged: z.int(),
  failed: z.int(),
  skipped: z.int(),
  reverted: z.int(),
});

/** A job as the API shows it: its spec, where it stands, its counts and progress. */
export const ImportJobView = z.lazy(() =>
  z.object({
    id: z.string(),
    object: z.enum(IMPORT_OBJECTS),
    mode: z.enum(JOB_MODES),
    matchKey: MatchKey,
    format: z.enum(IMPORT_FORMATS),
    delimiter: z.optional(z.string()),
    mapping: z.optional(z.record(z.string(), ColumnTarget)),
    bytes: z.int(),
    /** A revert job's: the job it undoes. */
    revertOf: z.optional(z.string()),
    /** Whether each row's own events go to the bus and the webhooks (paced), or only the job's summary. */
    recordEvents: z.boolean(),
    status: z.enum(IMPORT_STATUSES),
    counts: Counts,
    chunks: z.optional(z.int()),
    chunksDone: z.int(),
    /** Rows done (every outcome) per second since it started, and when it should end at that pace. */
    progress: z.optional(z.object({ done: z.int(), rowsPerSecond: z.number(), estimatedEnd: z.optional(z.string()) })),
    failure: z.optional(z.object({ code: z.string(), message: z.string(), line: z.optional(z.int()) })),
    created: z.string(),
    updated: z.string(),
    started: z.optional(z.string()),
    finished: z.optional(z.string()),
    /** Only in the create's answer: where to send the file, part by part (PUT each part's bytes to its URL; keep each answer's ETag). */
    upload: z.optional(
      z.object({
        partBytes: z.int(),
        parts: z.array(z.object({ partNumber: z.int(), url: z.string() })),
        expiresAt: z.string(),
      }),
    ),
  }),
);

/** A page of a job's line results, in line order. */
export const ImportResultsPage = z.lazy(() =>
  z.object({
    results: z.array(
      z.object({
        line: z.int(),
        outcome: z.enum(OUTCOMES),
        id: z.optional(z.string()),
        code: z.optional(z.string()),
        field: z.optional(z.string()),
        column: z.optional(z.string()),
        message: z.optional(z.string()),
      }),
    ),
    next: z.optional(z.string()),
  }),
);

/** A new export job: the tenant's customers, in a format; or (`since`: an earlier export's id) those changed and gone since that export. */
export const ExportCreate = z.lazy(() =>
  z.strictObject({
    format: z.enum(EXPORT_FORMATS),
    since: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
    /** Files of the customers' activities, opportunities, beside theirs (an incremental export's: every changed customer's, whole). */
    include: z.optional(z.array(z.enum(EXPORT_INCLUDES)).check(z.maxLength(EXPORT_INCLUDES.length))),
    /** Only the customers a search finds: its filter and/or full text, as `POST /api/v1/crm/customers/search` takes them. */
    search: z.optional(ExportSearch),
  }),
);

/**
 * What a filtered export takes of a search: its filter (a predicate or a group: `and`, `or`, `not`)
 * and its full-text `q`, as `POST /api/v1/crm/customers/search` takes them (README, "Search"); the
 * query model checks the filter member by member (a 400 naming the one at fault).
 */
const ExportSearch = z.lazy(() => z.strictObject({ filter: z.optional(z.record(z.string(), z.unknown())), q: z.optional(z.string().check(z.maxLength(256))) }));

/** An export as the API shows it; once completed, its manifest (after FHIR bulk data's), each file a presigned URL valid 15 minutes. */
export const ExportJobView = z.lazy(() =>
  z.object({
    id: z.string(),
    format: z.enum(EXPORT_FORMATS),
    /** An incremental export's: the export it continues from. */
    since: z.optional(z.string()),
    include: z.optional(z.array(z.enum(EXPORT_INCLUDES))),
    /** A filtered export's: the search whose customers it holds. */
    search: z.optional(ExportSearch),
    status: z.enum(EXPORT_STATUSES),
    created: z.string(),
    updated: z.string(),
    finished: z.optional(z.string()),
    failure: z.optional(z.object({ code: z.string(), message: z.string() })),
    manifest: z.optional(
      z.object({
        /** What the files hold is the tenant as of this time or later. */
        transactionTime: z.string(),
        request: z.string(),
        requiresAccessToken: z.boolean(),
        output: z.array(z.object({ type: z.string(), url: z.string(), count: z.int(), sha256: z.string(), bytes: z.int() })),
        /** An incremental export's: files of the ids of customers gone (deleted, erased, merged away) since the export it continues from. */
        deleted: z.optional(z.array(z.object({ type: z.string(), url: z.string(), count: z.int(), sha256: z.string(), bytes: z.int() }))),
        error: z.array(z.unknown()),
        /** Customers in the files, and the tenant's count as its counters said when the export ended. */
        count: z.int(),
        tenantCount: z.int(),
        expiresAt: z.string(),
      }),
    ),
  }),
);

/** An export as its events carry it (events/export-events.ts: exportSummary): no file URLs. */
export const ExportSummary = z.lazy(() =>
  z.object({
    id: z.string(),
    format: z.enum(EXPORT_FORMATS),
    since: z.optional(z.string()),
    include: z.optional(z.array(z.enum(EXPORT_INCLUDES))),
    status: z.enum(EXPORT_STATUSES),
    transactionTime: z.optional(z.string()),
    count: z.optional(z.int()),
    tenantCount: z.optional(z.int()),
    failure: z.optional(z.object({ code: z.string(), message: z.string() })),
    created: z.string(),
    updated: z.string(),
    finished: z.optional(z.string()),
  }),
);
