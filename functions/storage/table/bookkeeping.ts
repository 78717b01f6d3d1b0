/**
 * What every versioned record carries beside its data — customers, activities, opportunities,
 * BIAN records: its version (the ETag), its event count, who created and last changed it, when.
 */
export interface Bookkeeping {
  /** Increases with every committed change; the ETag. */
  version: number;
  /** Number of events emitted for this record so far (the events' `sequence`). */
  sequence: number;
  created: string;
  createdBy: string;
  updated: string;
  updatedBy: string;
}

/** The bookkeeping of a record about to be created: version 1, its first event, who and when. */
export const newBookkeeping = (sub: string, now = new Date().toISOString()): Bookkeeping => ({
  version: 1,
  sequence: 1,
  created: now,
  createdBy: sub,
  updated: now,
  updatedBy: sub,
});

/**
 * The bookkeeping after a change that emits `events` events: the next version, the sequence of
 * its last event, the creation kept, who changed it and when.
 */
export const changedBookkeeping = (current: Bookkeeping, events: number, sub: string, now = new Date().toISOString()): Bookkeeping => ({
  version: current.version + 1,
  sequence: current.sequence + events,
  created: current.created,
  createdBy: current.createdBy,
  updated: now,
  updatedBy: sub,
});
