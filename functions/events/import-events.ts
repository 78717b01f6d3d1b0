import { IMPORT_CORRELATION_PREFIX, newEvent, type PendingEvent } from '../domain/event-envelope.ts';
import { importView, type ImportJobState } from '../domain/imports.ts';

/**
 * The events of import jobs (`rapport.imports`): a job's summary — started (its rows counted),
 * progress (at most one every 10 seconds while it runs: progressEveryMs), and how it ended — never one per
 * row. Each carries the job as its API shows it. The rows' own writes emit the API's events, which
 * go through the job's relay (import-record-events.ts), not straight to the bus.
 */
export const IMPORT_SOURCE = 'rapport.imports';

export const IMPORT_EVENT_TYPES = ['ImportStarted', 'ImportProgress', 'ImportCompleted', 'ImportFailed', 'ImportCancelled'] as const;
export type ImportEventType = (typeof IMPORT_EVENT_TYPES)[number];

/** The least time between two progress events of a job: IMPORT_PROGRESS_SECONDS (10 by default). */
export const progressEveryMs = (): number => Number(process.env.IMPORT_PROGRESS_SECONDS ?? 10) * 1000;

/** The event a job's status emits on entering it (the others — queued, splitting — emit none). */
export const IMPORT_EVENT_OF_STATUS: Partial<Record<ImportJobState['status'], ImportEventType>> = {
  running: 'ImportStarted',
  completed: 'ImportCompleted',
  failed: 'ImportFailed',
  cancelled: 'ImportCancelled',
};

const DESCRIPTIONS: Record<ImportEventType, (job: ImportJobState) => string> = {
  ImportStarted: (job) => `Import ${job.id} started: ${job.counts.read} rows in ${job.chunks ?? 0} chunks`,
  ImportProgress: (job) => `Import ${job.id}: ${importView(job).progress?.done ?? 0} of ${job.counts.read} rows done`,
  ImportCompleted: (job) => `Import ${job.id} completed: ${job.counts.created} created, ${job.counts.updated} updated, ${job.counts.failed} failed`,
  ImportFailed: (job) => `Import ${job.id} failed: ${job.failure?.code ?? 'unknown'}`,
  ImportCancelled: (job) => `Import ${job.id} cancelled`,
};

/** A job's event, as it stands after the change that emits it (`sequence`: the job's count of events, this one included). */
export const importEvent = (eventType: ImportEventType, job: ImportJobState & { tenantId: string; sequence: number }, actor: string): PendingEvent =>
  newEvent({
    source: IMPORT_SOURCE,
    eventType,
    tenantId: job.tenantId,
    subject: { type: 'Import', id: job.id },
    sequence: job.sequence,
    actor,
    correlationId: `${IMPORT_CORRELATION_PREFIX}${job.id}`,
    data: { import: importView(job) },
    description: DESCRIPTIONS[eventType](job),
  });
