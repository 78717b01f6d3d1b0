import type { Request, Response } from '../http/kernel.ts';
import { checkCustomerReach, mayReach } from '../http/access.ts';
import { badRequest, conflict, notFound } from '../http/errors.ts';
import { newEvent } from '../domain/event-envelope.ts';
import { newId, timeOrderedId } from '../domain/ids.ts';
import { actionRecord } from '../bian/shared.ts';
import { getPlanAndRecord, putBianRecord, type BianRecord } from '../storage/bian/bian-records.ts';
import { withOptimisticRetry } from '../storage/table/optimistic.ts';
import { changeVersioned } from '../http/versioned-change.ts';
import { newBookkeeping } from '../storage/table/bookkeeping.ts';
import { etag } from '../http/preconditions.ts';
import { ConditionFailed } from '../storage/table/transactions.ts';
import { applyMergePatch } from '../domain/merge-patch.ts';
import {
  applyControl,
  EXCHANGE_OUTCOMES,
  refusal,
  type BianAction,
  type ControlAction,
  type LifecycleStatus,
  type Priority,
} from '../domain/bian-lifecycle.ts';
import { BIAN_CRM_BASE, BIAN_CRM_SOURCE, KINDS, PLAN_FAMILY, type Kind } from './records.ts';
import { customerReferenceOf, linkOf, mirroredActivity } from './customer-link.ts';
import { planLinkChanges } from '../storage/bian/plan-links.ts';
import { statisticsDelta, type IncidentState, type ResolutionTargets } from '../domain/case-statistics.ts';
import { addToStatistics, targetsKey, targetsOf } from '../storage/bian/case-statistics.ts';

const PLAN: Kind = 'CustomerRelationshipManagementPlan';
const PATH_SEGMENT: Record<Kind, string> = { CustomerRelationshipManagementPlan: '', Development: 'Development', Incident: 'Incident', Contact: 'Contact' };
const ID_PARAM: Record<Kind, string> = {
  CustomerRelationshipManagementPlan: 'customerrelationshipmanagementid',
  Development: 'developmentid',
  Incident: 'incidentid',
  Contact: 'contactid',
};

/** The record as the API answers it: the spec's fields plus the extension attributes. */
export const view = (kind: Kind, r: BianRecord): Record<string, unknown> => ({
  ...r.record,
  [`${kind}Reference`]: r.id,
  CustomerRelationshipManagementPlanReference: r.planId,
  ...(KINDS[kind].lifecycle ? { [`${kind}Status`]: r.status } : {}),
  ...(kind === 'Incident' ? { IncidentPriority: r.priority } : {}),
  ...(r.exchangeStatus ? { [`${kind}ExchangeStatus`]: r.exchangeStatus } : {}),
  ...(r.customerId ? { LinkedCustomerReference: r.customerId } : {}),
  ...(r.externalCustomerReference ? { ExternalCustomerReference: r.externalCustomerReference } : {}),
  ActionRecords: r.actions,
});

const eventOf = (request: Request<unknown>, kind: Kind, record: BianRecord, action: BianAction) =>
  newEvent({
    source: BIAN_CRM_SOURCE,
    eventType: `${kind}/${action === 'Create' ? 'Created' : 'Updated'}`,
    tenantId: record.tenantId,
    subject: { type: kind, id: record.id },
    sequence: record.sequence,
    actor: request.caller.sub,
    correlationId: request.correlationId,
    data: { action, status: record.status ?? null, record: view(kind, record) },
    description: `${kind} ${action}`,
  });

const planId = (request: Request<unknown>) => request.params.customerrelationshipmanagementid!;
const missing = (kind: Kind, id: string) => notFound(`${kind} '${id}' does not exist.`);

/** Create: a plan starts active; a record needs its plan to exist and to be active. 200 with Location. */
export const createRecord = async (request: Request<Record<string, unknown>>, kind: Kind): Promise<Response> => {
  const { tenantId, sub } = request.caller;
  const id = kind === PLAN ? newId() : timeOrderedId();
  // A new incident's resolution due date comes from the tenant's targets: read with the plan.
  const {
    plan,
    further: [targets],
  } =
    kind === PLAN
      ? { plan: undefined, further: [] }
      : await getPlanAndRecord(PLAN_FAMILY, tenantId, planId(request), 'PLAN', planId(request), kind === 'Incident' ? [targetsKey(tenantId)] : []);
  if (kind !== PLAN) {
    if (!plan) throw missing(PLAN, planId(request));
    if (plan.customerId) await checkCustomerReach(request, String(plan.customerId), 'write', () => missing(PLAN, planId(request)));
    const refused = refusal(plan.status as LifecycleStatus, 'Create', `Plan '${plan.id}'`);
    if (refused) throw conflict(refused);
  }
  const record: BianRecord = {
    kind,
    id,
    planId: kind === PLAN ? id : planId(request),
    tenantId,
    record: request.body,
    ...(KINDS[kind].lifecycle ? { status: 'active' } : {}),
    ...(kind === 'Incident' ? { priority: 'medium' } : {}),
    actions: [],
    ...newBookkeeping(sub),
    ...(kind === PLAN ? await linkOf(tenantId, request.body, (customer) => mayReach(request, customer, 'write')) : {}),
  };
  const mirror = plan ? await mirroredActivity(kind, record, plan) : undefined;
  const statistics = kind === 'Incident' ? incidentBookkeeping(undefined, record, targetsOf(targets)) : [];
  try {
    // Incidents share the tenant's statistics item: a transaction that collides there is simply retried.
    await withOptimisticRetry(() =>
      putBianRecord(PLAN_FAMILY, record, { planVersion: plan?.version }, eventOf(request, kind, record, 'Create'), [
        ...(mirror ? [mirror] : []),
        ...statistics,
        ...(kind === PLAN ? planLinkChanges(tenantId, id, undefined, record.customerId) : []),
      ]),
    );
  } catch (error) {
    if (error instanceof ConditionFailed && error.index === 1) throw conflict(`Plan '${record.planId}' changed meanwhile; retry.`);
    throw error;
  }
  const location = `${request.baseUrl}${BIAN_CRM_BASE}/${kind === PLAN ? id : `${record.planId}/${PATH_SEGMENT[kind]}/${id}`}/Retrieve`;
  return { status: 200, body: view(kind, record), headers: { location } };
};

/** Controls that change what an incident's resolution targets decide: its due date or its resolution. */
const TARGETED_CONTROLS = new Set(['raisePriority', 'lowerPriority', 'terminate']);

/**
 * Reads a record and its plan in one request — with the tenant's resolution targets when an
 * incident Control needs them; 404 for either unknown (another tenant's too).
 */
const load = async (request: Request<unknown>, kind: Kind, action?: string) => {
  const { tenantId } = request.caller;
  const id = request.params[ID_PARAM[kind]]!;
  const needsTargets =
    kind === 'Incident' && action === 'Control' && TARGETED_CONTROLS.has(String((request.body as Record<string, unknown>).ControlActionType));
  const {
    plan,
    record: target,
    further: [targets],
  } = await getPlanAndRecord(PLAN_FAMILY, tenantId, planId(request), kind === PLAN ? 'PLAN' : kind, id, needsTargets ? [targetsKey(tenantId)] : []);
  if (!plan) throw missing(PLAN, planId(request));
  // A plan linked to a customer is seen and changed by those who may see and change the customer.
  if (plan.customerId) await checkCustomerReach(request, String(plan.customerId), action ? 'write' : 'read', () => missing(PLAN, planId(request)));
  if (!target) throw missing(kind, id);
  return { plan, target, targets: targetsOf(targets) };
};

export const retrieveRecord = async (request: Request<unknown>, kind: Kind): Promise<Response> => {
  const { target } = await load(request, kind);
  return { status: 200, body: view(kind, target), headers: { etag: etag(target.version) } };
};

/**
 * Update, Control, Exchange, Request, Grant and Capture on a plan or one of its records: the
 * plan's status (and an incident's own) decides whether the action may run (409 says why); the
 * change and its event are written in one transaction conditional on both versions.
 */
export const actOnRecord = (request: Request<Record<string, unknown>>, kind: Kind, action: Exclude<BianAction, 'Create' | 'Retrieve'>): Promise<Response> =>
  changeVersioned(request, {
    read: async () => {
      const { plan, target, targets } = await load(request, kind, action);
      return { record: target, context: { plan, targets } };
    },
    missing: () => missing(kind, request.params[ID_PARAM[kind]]!),
    decide: async (target, { plan }) => {
      const planRefusal = refusal(plan.status as LifecycleStatus, action, `Plan '${plan.id}'`);
      if (planRefusal) throw conflict(planRefusal);
      if (kind !== PLAN && target.status) {
        const own = refusal(target.status as LifecycleStatus, action, `${kind} '${target.id}'`);
        if (own) throw conflict(own);
      }
      const { ControlActionType, ControlActionReason, ExchangeActionType, ...fields } = request.body;
      const next: BianRecord = { ...target };
      switch (action) {
        case 'Update':
          next.record = applyMergePatch(target.record, fields) as Record<string, unknown>;
          break;
        case 'Control': {
          const outcome = applyControl(
            { status: target.status as LifecycleStatus, priority: target.priority as Priority | undefined },
            ControlActionType as ControlAction,
            `${kind} '${target.id}'`,
          );
          if (!outcome.ok) throw conflict(outcome.reason);
          next.status = outcome.status;
          if (outcome.priority) next.priority = outcome.priority;
          next.actions = [...target.actions, actionRecord('Control', request, { ControlActionType, ...(ControlActionReason ? { ControlActionReason } : {}) })];
          break;
        }
        case 'Exchange':
          if (target.exchangeStatus) throw conflict(`${kind} '${target.id}' was already ${target.exchangeStatus}; a decided record cannot be decided again.`);
          next.exchangeStatus = EXCHANGE_OUTCOMES[String(ExchangeActionType)];
          next.record = applyMergePatch(target.record, fields) as Record<string, unknown>;
          break;
        default:
          if (Object.keys(fields).length === 0) throw badRequest(`${action} needs the details of the action in the body.`);
          next.actions = [...target.actions, actionRecord(action, request, fields)];
      }
      // The customer link is decided when the reference is set or changed, not on every update.
      if (kind === PLAN && customerReferenceOf(next.record) !== customerReferenceOf(target.record)) {
        delete next.customerId;
        delete next.externalCustomerReference;
        Object.assign(next, await linkOf(plan.tenantId, next.record, (customer) => mayReach(request, customer, 'write')));
      }
      return { record: next, events: [action] };
    },
    write: async ({ current, next, context: { plan, targets } }) => {
      const mirror = kind === PLAN || next.record === current.record ? undefined : await mirroredActivity(kind, next, plan);
      // An incident's due date, resolution and statistics follow from its final state (bookkeeping included).
      const statistics = kind === 'Incident' ? incidentBookkeeping(current, next, targets) : [];
      try {
        await putBianRecord(
          PLAN_FAMILY,
          next,
          { version: current.version, planVersion: kind === PLAN ? undefined : plan.version },
          eventOf(request, kind, next, action),
          [...(mirror ? [mirror] : []), ...statistics, ...(kind === PLAN ? planLinkChanges(next.tenantId, next.id, current.customerId, next.customerId) : [])],
        );
      } catch (error) {
        // The plan changed under us (index 1): re-read both and decide again, like a record conflict.
        if (error instanceof ConditionFailed && error.index === 1) throw new ConditionFailed(0, undefined);
        throw error;
      }
    },
    respond: (record) => ({ status: 200, body: view(kind, record), headers: { etag: etag(record.version) } }),
  });

const stateOf = (r: BianRecord): IncidentState => ({ open: r.status !== 'terminated', priority: String(r.priority), created: r.created, resolved: r.resolved });

/**
 * What an incident change means for case management: its resolution due date (from the tenant's
 * resolution targets, when its priority is set or changes), its resolution time when it is
 * terminated, and the case-statistics counters — the counter update joins the change's transaction.
 */
const incidentBookkeeping = (before: BianRecord | undefined, after: BianRecord, targets: ResolutionTargets | undefined) => {
  const prioritySet = !before || before.priority !== after.priority;
  const resolvedNow = before !== undefined && before.status !== 'terminated' && after.status === 'terminated';
  if (resolvedNow) after.resolved = after.updated;
  if (prioritySet) {
    const hours = targets?.[after.priority as keyof typeof targets];
    after.resolutionDueAt = hours === undefined ? undefined : new Date(Date.parse(after.created) + hours * 3600_000).toISOString();
    delete after.resolutionOverdueNotifiedAt;
  }
  return addToStatistics(after.tenantId, after.id, statisticsDelta(before && stateOf(before), stateOf(after), targets));
};
