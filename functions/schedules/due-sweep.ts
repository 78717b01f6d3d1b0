import type { Context } from 'aws-lambda';
import { fieldDefinitionsInForce } from '../storage/fields/field-definitions.ts';
import middy from '@middy/core';
import { newEvent, type PendingEvent } from '../domain/event-envelope.ts';
import { DUE_SHARDS, dueEventId, instantKey } from '../storage/due/due-index.ts';
import { dueItemKind, flagDueItem, getItem, isStillDue, queryDueShard } from '../storage/due/due-items.ts';
import { CUSTOMER_ENTITY, fromItem } from '../storage/customers/customer-items.ts';
import { purgeStep } from '../storage/customers/customer-lifecycle.ts';
import { moveBackStep, moveMergedStep } from '../storage/customers/customer-merge.ts';
import { childFromItem } from '../storage/customers/customer-children.ts';
import { keys } from '../storage/table/keys.ts';
import { findUser, type DirectoryUser } from '../storage/users.ts';
import { ConditionFailed } from '../storage/table/transactions.ts';
import { childView } from '../crm/child-changes.ts';
import { CRM_SOURCE, toCrmCustomer } from '../crm/customer-view.ts';
import { nextActionOverdue } from '../crm/next-action-overdue.ts';
import { CASE_SOURCE } from '../bian-casemgmt/case-records.ts';
import { BusinessMetric } from '../business-metrics.ts';
import { count, logger } from '../observability.ts';
import { traced, tracedInstrumentation } from '../tracing.ts';
import { dynamodb } from '../storage/table/db.ts';

const PAGE = 25;
/** Time kept back from the function's timeout: a run stops taking new items before it. */
const SAFETY_MS = Number(process.env.SWEEP_SAFETY_MS ?? 5000);
const ACTOR = 'system:due-sweep';

export interface SweepInput {
  /** EventBridge Scheduler's <aws.scheduler.scheduled-time>: the run's "now", the same on a retry. */
  scheduledTime?: string;
}

export interface SweepResult {
  now: string;
  flagged: number;
  /** Due activities of deleted customers: taken out of the index without an event. */
  disarmed: number;
  /** Items purged: what deleted customers whose window ended, and erased customers, owned. */
  purged: number;
  /** Due items seen but not flagged in this run (the next run takes them). */
  left: number;
  /** Whether the run stopped before reading every shard to the end. */
  stoppedEarly: boolean;
}

const owners = new Map<string, Promise<DirectoryUser>>();
const ownerOf = (tenantId: string, ownerId: unknown): Promise<DirectoryUser> | undefined => {
  if (typeof ownerId !== 'string') return undefined;
  const key = `${tenantId}/${ownerId}`;
  if (!owners.has(key)) owners.set(key, findUser(tenantId, ownerId));
  return owners.get(key);
};

/** The event of "this item fell due at this date": the sweep as actor, a deterministic id, the run's correlation id. */
const dueEvent = (
  item: Record<string, unknown>,
  due: string,
  now: string,
  event: {
    source: string;
    eventType: string;
    tenantId: string;
    subject: { type: string; id: string };
    sequence: number;
    data: Record<string, unknown>;
    description: string;
  },
): PendingEvent =>
  newEvent({ ...event, eventId: dueEventId({ pk: String(item.pk), sk: String(item.sk) }, due), actor: ACTOR, correlationId: `due-sweep:${now}` });

/**
 * What flagging an item writes: the flag and its event — or, for an activity whose customer has
 * been deleted, only that it left the index (a reminder about a deleted customer is noise).
 */
const flagOf = async (item: Record<string, unknown>, now: string): Promise<{ set: Record<string, unknown>; event?: PendingEvent }> => {
  const kind = dueItemKind(item);
  if (kind === 'incident') {
    const due = String(item.resolutionDueAt);
    return {
      set: { resolutionOverdueNotifiedAt: now },
      event: dueEvent(item, due, now, {
        source: CASE_SOURCE,
        eventType: 'IncidentResolutionOverdue',
        tenantId: String(item.tenantId),
        subject: { type: 'Incident', id: String(item.id) },
        sequence: Number(item.sequence) + 1,
        data: {
          IncidentReference: String(item.id),
          CustomerRelationshipManagementPlanReference: String(item.planId),
          IncidentPriority: String(item.priority),
          created: String(item.created),
          resolutionDueAt: due,
          record: item.record as Record<string, unknown>,
        },
        description: `Incident open past its ${String(item.priority)} resolution target (${due})`,
      }),
    };
  }
  if (kind === 'customer') {
    const customer = fromItem(item);
    const due = String(customer.nextActionDueDate);
    const overdue = nextActionOverdue(customer, due, await ownerOf(customer.tenantId, customer.ownerId));
    return {
      set: { nextActionFlaggedFor: due },
      event: dueEvent(item, due, now, {
        source: CRM_SOURCE,
        eventType: 'CustomerNextActionOverdue',
        tenantId: customer.tenantId,
        subject: { type: 'Customer', id: customer.id },
        sequence: customer.sequence + 1,
        data: { customer: toCrmCustomer(customer, await fieldDefinitionsInForce(customer.tenantId, 'customer')), ...overdue.data },
        description: overdue.description,
      }),
    };
  }
  const activity = childFromItem(item);
  const due = String(activity.dueDate);
  const [customerItem, owner] = await Promise.all([
    getItem(keys.customer(activity.tenantId, activity.customerId)),
    ownerOf(activity.tenantId, activity.ownerId),
  ]);
  if (customerItem?.entity !== CUSTOMER_ENTITY) return { set: { dueDisarmedAt: now } };
  return {
    set: { dueNotifiedAt: now },
    event: dueEvent(item, due, now, {
      source: CRM_SOURCE,
      eventType: 'ActivityDue',
      tenantId: activity.tenantId,
      subject: { type: 'Activity', id: activity.id },
      sequence: activity.sequence + 1,
      data: {
        activity: childView({ ...activity, dueNotifiedAt: now }),
        customer: toCrmCustomer(fromItem(customerItem), await fieldDefinitionsInForce(activity.tenantId, 'customer')),
        owner: owner ?? null,
        due: { dueDate: due },
      },
      description: `${String(activity.type)} ${String(activity.subject)} is due (${due})`,
    }),
  };
};

/** Flags one item; a concurrent change or an overlapping run makes it re-read once and decide again. */
const flagItem = async (item: Record<string, unknown>, now: string): Promise<'flagged' | 'disarmed' | undefined> => {
  let current: Record<string, unknown> | undefined = item;
  for (let attempt = 1; attempt <= 2 && current; attempt++) {
    if (!isStillDue(current, now)) return undefined; // no longer due, or flagged already
    try {
      const flag = await flagOf(current, now);
      await flagDueItem(current, flag);
      return flag.event ? 'flagged' : 'disarmed';
    } catch (error) {
      if (!(error instanceof ConditionFailed)) throw error;
      current = await getItem({ pk: String(item.pk), sk: String(item.sk) });
    }
  }
  return undefined;
};

/**
 * The due sweep (EventBridge Scheduler, every minute by default; also BIAN incidents past their resolution target, IncidentResolutionOverdue): reads each shard of the
 * sparse due index for items due at or before the schedule's time, flags each once in its own
 * transaction with its event (CustomerNextActionOverdue, ActivityDue), and stops before its time
 * budget; what is left stays in the index for the next run.
 */
const sweep = async (input: SweepInput, context: Context): Promise<SweepResult> => {
  const now = instantKey(input.scheduledTime ?? new Date().toISOString());
  const deadline = Date.now() + Math.max(0, context.getRemainingTimeInMillis() - SAFETY_MS);
  owners.clear();
  let flagged = 0;
  let disarmed = 0;
  let purged = 0;
  let left = 0;
  let stoppedEarly = false;
  for (let shard = 0; shard < DUE_SHARDS; shard++) {
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await queryDueShard(shard, now, PAGE, cursor);
      for (const item of page.items) {
        if (Date.now() > deadline) {
          left++;
          stoppedEarly = true;
          continue;
        }
        const kind = dueItemKind(item);
        const [tenantId, id] = [String(item.tenantId), String(item.id)];
        // Steps of a customer's life (deleted, erased, merged, unmerged): each bounded by the run's budget; what one leaves stays due for the next run.
        if (kind === 'deleted' || kind === 'erased' || (kind === 'merged' && item.movedAt !== undefined)) {
          const progress = await purgeStep(kind, tenantId, id, deadline, now);
          purged += progress.deleted;
          if (!progress.done) left++;
          continue;
        }
        if (kind === 'merged' || kind === 'unmerge') {
          const done =
            kind === 'merged'
              ? await moveMergedStep(tenantId, id, String(item.mergedInto), String(item.purgeAt), deadline)
              : await moveBackStep(tenantId, id, String(item.survivorId), deadline);
          if (!done) left++;
          continue;
        }
        const outcome = await flagItem(item, now);
        if (outcome === 'flagged') flagged++;
        if (outcome === 'disarmed') disarmed++;
      }
      cursor = stoppedEarly ? undefined : page.next;
      if (stoppedEarly && page.next) left++; // at least one more beyond this page
    } while (cursor);
  }
  logger.info('due sweep finished', { now, flagged, disarmed, purged, left, stoppedEarly });
  count(BusinessMetric.ItemsFlagged, flagged);
  count(BusinessMetric.ItemsLeft, left);
  return { now, flagged, disarmed, purged, left, stoppedEarly };
};

/** The sweep keeps its own time budget (SAFETY_MS), so middy's early timeout is off. */
traced(dynamodb);

export const handler = middy(sweep, { timeoutEarlyInMillis: 0 }).use(tracedInstrumentation());
