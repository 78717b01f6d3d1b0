import type { Request, Response } from './kernel.ts';
import { checkIfMatch } from './preconditions.ts';
import { changedBookkeeping, type Bookkeeping } from '../storage/table/bookkeeping.ts';
import { withOptimisticRetry } from '../storage/table/optimistic.ts';

/** What a change decided: the record after it (bookkeeping is filled in by `changeVersioned`), and its events; none means nothing changed. */
export interface Decision<R, E> {
  record: R;
  events: E[];
}

/** The steps of one versioned change; `changeVersioned` runs them in order, and again on a concurrent writer. */
export interface VersionedChange<R extends Bookkeeping, E, C> {
  /** The record and whatever else the decision needs (`context`), or undefined when it does not exist. */
  read: () => Promise<{ record: R; context: C } | undefined>;
  /** The error for a record that does not exist (404 in the family's words). */
  missing: () => Error;
  /** The change: the record after it and its events (a refusal throws). */
  decide: (current: R, context: C) => Decision<R, E> | Promise<Decision<R, E>>;
  /** Writes `next` and its events in one transaction, conditional on `current.version`. */
  write: (change: { current: R; next: R; events: E[]; context: C }) => Promise<void>;
  /** The answer: the record after the change, or as it stands when nothing changed. */
  respond: (record: R, changed: boolean, context: C) => Response;
}

/** A read's answer for a change that needs nothing beside the record: `read: async () => loaded(await getX(…))`. */
export const loaded = <R>(record: R | undefined): { record: R; context: undefined } | undefined =>
  record === undefined ? undefined : { record, context: undefined };

/**
 * Every change of a versioned record, in every family: read it (404 when absent), honour
 * `If-Match` (412), decide, fill in the bookkeeping (version, sequence, who, when), write the
 * change with its events in one conditional transaction — and when another writer committed
 * between the read and the write, do it all again on fresh data, so no change is lost and a
 * stale `If-Match` is seen as such. A decision with no events writes nothing.
 */
export const changeVersioned = <R extends Bookkeeping, E, C>(request: Request, change: VersionedChange<R, E, C>): Promise<Response> =>
  withOptimisticRetry(async () => {
    const loaded = await change.read();
    if (!loaded) throw change.missing();
    const { record: current, context } = loaded;
    checkIfMatch(request.headers, current.version);
    const decision = await change.decide(current, context);
    if (decision.events.length === 0) return change.respond(current, false, context);
    const next: R = { ...decision.record, ...changedBookkeeping(current, decision.events.length, request.caller.sub) };
    await change.write({ current, next, events: decision.events, context });
    return change.respond(next, true, context);
  });
