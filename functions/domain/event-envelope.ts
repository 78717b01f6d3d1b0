import { timeOrderedId } from './ids.ts';

/** The envelope every Rapport event carries as its EventBridge `detail` (README, Events). */
export interface EventEnvelope<Data = unknown> {
  /** Unique and stable across publisher retries: consumers dedupe on it. */
  eventId: string;
  eventTime: string;
  eventType: string;
  tenantId: string;
  subject: { type: string; id: string };
  /** Per subject, increasing: consumers order on it. */
  sequence: number;
  /** The `sub` of the caller whose request caused the event (or the system job's name). */
  actor: string;
  correlationId: string;
  data: Data;
}

/** An event to be written as an outbox item in the same transaction as its change. */
export interface PendingEvent<Data = unknown> {
  source: string;
  envelope: EventEnvelope<Data>;
  /** One line for the subject's timeline (the CRM view's `events`). */
  description?: string;
  /**
   * Published but not a timeline entry: the same change told in another family's words (the TMF
   * events of a CRM change), so the timeline shows each change once.
   */
  mirror?: true;
}

export const newEvent = <Data>(input: {
  source: string;
  eventType: string;
  tenantId: string;
  subject: { type: string; id: string };
  sequence: number;
  actor: string;
  correlationId: string;
  data: Data;
  description?: string;
  now?: Date;
  /** A given id (a job that must record a fact once uses a deterministic one); otherwise a new time-ordered id. */
  eventId?: string;
}): PendingEvent<Data> => {
  const now = input.now ?? new Date();
  return {
    source: input.source,
    ...(input.description ? { description: input.description } : {}),
    envelope: {
      eventId: input.eventId ?? timeOrderedId(now.getTime()),
      eventTime: now.toISOString(),
      eventType: input.eventType,
      tenantId: input.tenantId,
      subject: input.subject,
      sequence: input.sequence,
      actor: input.actor,
      correlationId: input.correlationId,
      data: input.data,
    },
  };
};

/**
 * An import job's writes are correlated `import-<job>` (the kernel sets it for the job's calls only:
 * a caller cannot claim it), which sends their events to the job's relay rather than straight to the bus.
 */
export const IMPORT_CORRELATION_PREFIX = 'import-';

/** The import job whose row wrote an event with this correlation id, if any. */
export const importJobOfCorrelation = (correlationId: string): string | undefined =>
  correlationId.startsWith(IMPORT_CORRELATION_PREFIX) ? correlationId.slice(IMPORT_CORRELATION_PREFIX.length) : undefined;
