import type { Request, Response } from '../http/kernel.ts';
import { notFound } from '../http/errors.ts';
import { newEvent } from '../domain/event-envelope.ts';
import { newId } from '../domain/ids.ts';
import { getPlanAndRecord, putBianRecord, type BianRecord } from '../storage/bian/bian-records.ts';
import { changeVersioned } from '../http/versioned-change.ts';
import { newBookkeeping } from '../storage/table/bookkeeping.ts';
import { etag } from '../http/preconditions.ts';
import { caseStatisticsKeys, putResolutionTargets, sumStatistics } from '../storage/bian/case-statistics.ts';
import { applyMergePatch } from '../domain/merge-patch.ts';
import { statisticsView, type ResolutionTargets } from '../domain/case-statistics.ts';
import { actionRecord } from '../bian/shared.ts';
import { CASE_BASE, CASE_FAMILY, CASE_SOURCE, type CaseKind } from './case-records.ts';

const PLAN: CaseKind = 'CustomerCaseManagementPlan';
const ID_PARAM: Record<CaseKind, string> = { CustomerCaseManagementPlan: 'customercasemanagementid', Rules: 'rulesid', Performance: 'performanceid' };

const view = (kind: CaseKind, r: BianRecord, statistics?: Record<string, unknown>): Record<string, unknown> => ({
  ...r.record,
  [`${kind}Reference`]: r.id,
  CustomerCaseManagementPlanReference: r.planId,
  ActionRecords: r.actions,
  ...(kind === 'Performance' ? { CaseStatistics: statisticsView(statistics) } : {}),
});

const eventOf = (request: Request<unknown>, kind: CaseKind, record: BianRecord, action: string, created: boolean) =>
  newEvent({
    source: CASE_SOURCE,
    eventType: `${kind}/${created ? 'Created' : 'Updated'}`,
    tenantId: record.tenantId,
    subject: { type: kind, id: record.id },
    sequence: record.sequence,
    actor: request.caller.sub,
    correlationId: request.correlationId,
    data: { action, record: view(kind, record) },
    description: `${kind} ${action}`,
  });

const planIdOf = (request: Request<unknown>) => request.params.customercasemanagementid!;
const missing = (kind: CaseKind, id: string) => notFound(`${kind} '${id}' does not exist.`);

/** The plan and the record (and, for Performance, the tenant's case statistics), in one request. */
const load = async (request: Request<unknown>, kind: CaseKind) => {
  const planId = planIdOf(request);
  const id = kind === PLAN ? planId : request.params[ID_PARAM[kind]]!;
  const further = kind === 'Performance' ? caseStatisticsKeys(request.caller.tenantId) : [];
  const { plan, record, further: shards } = await getPlanAndRecord(CASE_FAMILY, request.caller.tenantId, planId, kind === PLAN ? 'PLAN' : kind, id, further);
  return { plan, record, statistics: kind === 'Performance' ? sumStatistics(shards) : undefined, id };
};

export const createPlan = async (request: Request<Record<string, unknown>>): Promise<Response> => {
  const { tenantId, sub } = request.caller;
  const id = newId();
  const record: BianRecord = {
    kind: PLAN,
    id,
    planId: id,
    tenantId,
    record: request.body,
    actions: [],
    ...newBookkeeping(sub),
  };
  await putBianRecord(CASE_FAMILY, record, {}, eventOf(request, PLAN, record, 'Create', true));
  return { status: 200, body: view(PLAN, record), headers: { location: `${request.baseUrl}${CASE_BASE}/${id}/Retrieve` } };
};

/** Retrieve: the record bare, as Create, Update and Request answer it, and again under its kind's name (`retrievedView`). */
export const retrieveCase = async (request: Request<unknown>, kind: CaseKind): Promise<Response> => {
  const { plan, record, statistics, id } = await load(request, kind);
  if (!plan) throw missing(PLAN, planIdOf(request));
  if (!record) throw missing(kind, id);
  const shown = view(kind, record, statistics);
  return { status: 200, body: { ...shown, [kind]: shown }, headers: { etag: etag(record.version) } };
};

/**
 * Update merges the given fields (and, for Rules and Performance, creates the record at the
 * client's id when there is none: PUT semantics); Request appends an action record and needs the
 * record to exist. Rules' ResolutionTargets become the tenant's targets in the same transaction.
 */
export const changeCase = (request: Request<Record<string, unknown>>, kind: CaseKind, action: 'Update' | 'Request'): Promise<Response> =>
  changeVersioned(request, {
    read: async () => {
      const { tenantId, sub } = request.caller;
      const planId = planIdOf(request);
      const { plan, record: current, statistics, id } = await load(request, kind);
      if (!plan) throw missing(PLAN, planId);
      if (!current && (kind === PLAN || action === 'Request')) return undefined;
      // A record Update creates (PUT semantics) starts from version 0: its change makes it version 1.
      const record: BianRecord = current ?? { kind, id, planId, tenantId, record: {}, actions: [], ...newBookkeeping(sub), version: 0, sequence: 0 };
      return { record, context: { plan, statistics, exists: current !== undefined } };
    },
    missing: () => missing(kind, kind === PLAN ? planIdOf(request) : request.params[ID_PARAM[kind]]!),
    decide: (current) => {
      const next: BianRecord = { ...current };
      if (action === 'Update') next.record = applyMergePatch(current.record, request.body) as Record<string, unknown>;
      else next.actions = [...current.actions, actionRecord('Request', request, request.body)];
      return { record: next, events: [action] };
    },
    write: ({ current, next, context: { plan, exists } }) => {
      const targets = kind === 'Rules' && action === 'Update' ? (next.record.ResolutionTargets as ResolutionTargets | undefined) : undefined;
      return putBianRecord(
        CASE_FAMILY,
        next,
        { version: exists ? current.version : undefined, planVersion: kind === PLAN ? undefined : plan.version },
        eventOf(request, kind, next, action, !exists),
        targets ? [putResolutionTargets(request.caller.tenantId, targets, next.id)] : [],
      );
    },
    respond: (record, _changed, { statistics }) => ({ status: 200, body: view(kind, record, statistics), headers: { etag: etag(record.version) } }),
  });
