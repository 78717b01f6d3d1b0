/**
 * Bulk export (issue 27), as data: an export job — the whole tenant's customers, or (incremental)
 * those changed and gone since an earlier export, in NDJSON or CSV —
 * its parts (gzip, bounded) and its manifest, shaped after the FHIR bulk-data manifest; and CSV as
 * a spreadsheet may open it safely: a cell that would run as a formula is escaped.
 *
 * Nothing here reads the table or the bucket.
 */
import type { FieldsInForce } from './custom-values.ts';
import { ACTIVITY_IMPORT_FIELDS, CUSTOMER_REFERENCES, IMPORT_FIELDS, OPPORTUNITY_IMPORT_FIELDS } from './imports.ts';

export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export const EXPORT_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

export const EXPORT_LIMITS = {
  /** Records a file holds at most (EXPORT_PART_RECORDS to change it), beside its bytes. */
  partRecords: () => Number(process.env.EXPORT_PART_RECORDS ?? 100_000),
  /** Uncompressed bytes a file holds at most (a page more at worst: a file ends between pages). */
  partBytes: 64 * 1024 * 1024,
  /** Customers read a page. */
  pageSize: 500,
  /** A part's step stops this long before its Lambda's time ends, and continues in its next run. */
  reserveMs: 60_000,
} as const;

/** How far back an incremental export may reach: the event feed keeps every customer's events at least this long. */
export const EXPORT_SINCE_DAYS = 7;

/** What a full export may take beside each customer: what it owns. */
export const EXPORT_INCLUDES = ['activities', 'opportunities'] as const;
export type ExportInclude = (typeof EXPORT_INCLUDES)[number];

/** A filtered export's search: a filter and/or full text, as the customers' search takes them (domain/search-model.ts checks them). */
export interface ExportSearch {
  filter?: unknown;
  q?: string;
}

/** One file of an export, as its manifest lists it: customers, their activities or opportunities, or (an incremental export's) the ids of customers gone since. */
export interface ExportFile {
  type: 'Customer' | 'Activity' | 'Opportunity' | 'DeletedCustomer';
  /** Its object in the bucket (the API answers a presigned URL for it instead). */
  key: string;
  count: number;
  /** Of the gzip bytes, as downloaded. */
  sha256: string;
  bytes: number;
}

/** Cells a spreadsheet reads as a formula start with one of these (OWASP, "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A value as one CSV cell: text quoted when it must be (RFC 4180), a formula's start escaped with a leading `'`. */
export const csvCell = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  let text = Array.isArray(value) ? value.join(';') : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The built-in columns of a CSV export, in order: what an import's mapping takes by the same names, then who made and changed the customer when. */
export const CSV_COLUMNS: readonly string[] = [...IMPORT_FIELDS, 'created', 'createdBy', 'updated', 'updatedBy'];

/** The columns of an activity's or opportunity's CSV file: its id and its customer's, what an import of it takes (by the same names), and who made and changed it when. */
export const CHILD_CSV_COLUMNS: Record<'Activity' | 'Opportunity', readonly string[]> = {
  Activity: [
    'id',
    'customerId',
    ...ACTIVITY_IMPORT_FIELDS.filter((field) => !(CUSTOMER_REFERENCES as readonly string[]).includes(field)),
    'completed',
    'created',
    'createdBy',
    'updated',
    'updatedBy',
  ],
  Opportunity: [
    'id',
    'customerId',
    ...OPPORTUNITY_IMPORT_FIELDS.filter((field) => !(CUSTOMER_REFERENCES as readonly string[]).includes(field)),
    'created',
    'createdBy',
    'updated',
    'updatedBy',
  ],
};

/** A CSV export's columns: the built-ins, then `customFields.<key>` of every active custom field. */
export const csvColumns = (fields: FieldsInForce): string[] => [
  ...CSV_COLUMNS,
  ...[...fields.values()].filter((field) => !field.archived).map((field) => `customFields.${field.key}`),
];

/** A customer (its CRM view) as a CSV line of these columns. */
export const csvLine = (view: Record<string, unknown>, columns: readonly string[]): string =>
  columns
    .map((column) =>
      csvCell(column.startsWith('customFields.') ? (view.customFields as Record<string, unknown> | undefined)?.[column.slice(13)] : view[column]),
    )
    .join(',');
