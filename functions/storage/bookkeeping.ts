/** What every versioned record carries beside its data: its version (the ETag), its event count, who and when. */
export interface Bookkeeping {
  version: number;
  /** Number of events emitted for this record so far (the events' `sequence`). */
  sequence: number;
  created: string;
  createdBy: string;
  updated: string;
  updatedBy: string;
}
