import { newEvent, type PendingEvent } from '../domain/event-envelope.ts';
import type { ExportJob } from '../storage/exports/export-jobs.ts';

/**
 * The events of export jobs (in `rapport.imports`, the bulk jobs' source): started, and how it
 * ended — each carrying the job's summary (never its files' URLs: those are asked for, short-lived).
 */
export const EXPORT_EVENT_TYPES = ['ExportStarted', 'ExportCompleted', 'ExportFailed'] as const;
export type ExportEventType = (typeof EXPORT_EVENT_TYPES)[number];

/** The event a job's status emits on entering it. */
export const EXPORT_EVENT_OF_STATUS: Partial<Record<ExportJob['status'], ExportEventType>> = {
  running: 'ExportStarted',
  completed: 'ExportCompleted',
  failed: 'ExportFailed',
};

/** An export as its events carry it: what it is, where it stands, and once completed how many customers it holds. */
export const exportSummary = (job: ExportJob) => ({
  id: job.id,
  format: job.format,
  ...(job.since ? { since: job.since } : {}),
  ...(job.include?.length ? { include: job.include } : {}),
  status: job.status,
  ...(job.transactionTime ? { transactionTime: job.transactionTime } : {}),
  ...(job.count !== undefined ? { count: job.count } : {}),
  ...(job.tenantCount !== undefined ? { tenantCount: job.tenantCount } : {}),
  ...(job.failure ? { failure: job.failure } : {}),
  created: job.created,
  updated: job.updated,
  ...(job.finished ? { finished: job.finished } : {}),
});

const DESCRIPTIONS: Record<ExportEventType, (job: ExportJob) => string> = {
  ExportStarted: (job) => `Export ${job.id} started${job.since ? ` (changes since ${job.since})` : ''}`,
  ExportCompleted: (job) => `Export ${job.id} completed: ${job.count ?? 0} customers`,
  ExportFailed: (job) => `Export ${job.id} failed: ${job.failure?.code ?? 'unknown'}`,
};

/** A job's event as it stands after the move that emits it (`job.sequence`: its count of events, this one included). */
export const exportEvent = (eventType: ExportEventType, job: ExportJob): PendingEvent =>
  newEvent({
    source: 'rapport.imports',
    eventType,
    tenantId: job.tenantId,
    subject: { type: 'Export', id: job.id },
    sequence: job.sequence,
    actor: job.createdBy,
    correlationId: `export-${job.id}`,
    data: { export: exportSummary(job) },
    description: DESCRIPTIONS[eventType](job),
  });

/** The move of an export job with the event the status it enters emits. */
export const withExportEvent =
  (to: ExportJob['status']) =>
  (next: ExportJob): PendingEvent | undefined => {
    const eventType = EXPORT_EVENT_OF_STATUS[to];
    return eventType ? exportEvent(eventType, next) : undefined;
  };
