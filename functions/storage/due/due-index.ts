import { shardOf } from '../table/keys.ts';
import { deterministicTimeOrderedId } from '../../domain/ids.ts';

/**
 * The sparse, sharded due index (byDue). Only items that are due and not yet flagged carry its keys:
 * a customer whose next action has a due date not yet flagged, an activity with a due date that is
 * neither completed nor notified, an open BIAN incident with a resolution due date. Flagging
 * removes the keys, so the index holds what is still to do and a sweep's reads grow with the due
 * items, not with the table. The partition is a shard (the item's partition key hashed), so the
 * index has no hot partition: its partitions are shared by every tenant, so there are 32 — 32,000
 * index writes a second for the whole deployment (each due-date move is two) — and the sweep
 * queries each, 32 small Queries a run. It projects keys only: the sweep reads each
 * item it flags anyway, to decide on its current state.
 */
export const DUE_SHARDS = 32;

/** A due date as a sortable key: the same instant always gives the same UTC text. */
export const instantKey = (iso: string): string => new Date(iso).toISOString();

export const duePartition = (shard: number): string => `DUE#${shard}`;

export const dueIndexKeys = (pk: string, sk: string, dueAt: string): { duePk: string; dueSk: string } => ({
  duePk: duePartition(shardOf(pk, DUE_SHARDS)),
  dueSk: `${instantKey(dueAt)}#${pk}#${sk}`,
});

/** Sort-key bound for "due at or before `now`". */
export const dueCutoff = (now: string): string => `${instantKey(now)}#\uffff`;

/**
 * The id of the event "this item fell due at this due date": the same in every sweep run and in
 * the write that sets a date already past, so whichever flags the fact records it once (the event
 * item's conditional Put refuses a second).
 */
export const dueEventId = (key: { pk: string; sk: string }, due: string): string =>
  deterministicTimeOrderedId(Date.parse(due), `${key.pk}|${key.sk}|${instantKey(due)}`);
