import type { Request, Response } from '../http/kernel.ts';
import { checkCustomerReach } from '../http/access.ts';
import { notFound } from '../http/errors.ts';
import { etag } from '../http/preconditions.ts';
import { changeVersioned, loaded } from '../http/versioned-change.ts';
import { timeOrderedId } from '../domain/ids.ts';
import { newBookkeeping } from '../storage/table/bookkeeping.ts';
import { deleteChild, getChild, putChild, type ChildKind, type ChildRecord } from '../storage/customers/customer-children.ts';
import { crmEvent, type CrmEventType } from './crm-events.ts';
import { CRM_BASE_PATH } from './customer-view.ts';

/** Activities and opportunities as the API shows them: without their version and event sequence. */
export const childView = ({ version: _v, sequence: _s, ...rest }: Record<string, unknown>): Record<string, unknown> => rest;

const SUBJECT = { ACTIVITY: 'Activity', OPPORTUNITY: 'Opportunity' } as const;
const PATH = { ACTIVITY: 'activities', OPPORTUNITY: 'opportunities' } as const;
const DATA_KEY = { ACTIVITY: 'activity', OPPORTUNITY: 'opportunity' } as const;
const DELETED = { ACTIVITY: 'ActivityDeleted', OPPORTUNITY: 'OpportunityDeleted' } as const;

const childNotFound = (kind: ChildKind, id: string) => notFound(`${SUBJECT[kind]} '${id}' does not exist for this customer.`);

/** Creates an activity or opportunity of the customer in the path (404 when there is none), with its event. */
export const createChild = async (
  request: Request<unknown>,
  kind: ChildKind,
  fields: Record<string, unknown>,
  event: { type: CrmEventType; description: string },
): Promise<Response> => {
  const customerId = request.params.id!;
  await checkCustomerReach(request, customerId, 'write', () => notFound(`Customer '${customerId}' does not exist.`));
  const id = timeOrderedId();
  const record: ChildRecord = { ...fields, id, customerId, tenantId: request.caller.tenantId, ...newBookkeeping(request.caller.sub) };
  const view = childView(record);
  const response = { status: 201, body: view, headers: { location: `${request.baseUrl}${CRM_BASE_PATH}/${customerId}/${PATH[kind]}/${id}`, etag: etag(1) } };
  await putChild(
    kind,
    record,
    undefined,
    [crmEvent(request, event.type, { type: SUBJECT[kind], id }, 1, { [DATA_KEY[kind]]: view }, event.description)],
    request.idempotency(response, customerId),
  );
  return response;
};

/** Deletes an activity or opportunity (changeChild: 404 unknown, 412 stale If-Match, retry), with its `…Deleted` event: 204. */
export const deleteChildRequest = (request: Request, kind: ChildKind, childId: string): Promise<Response> =>
  changeChild(
    request,
    kind,
    childId,
    (current) => ({ record: current, events: [{ type: DELETED[kind], description: `${SUBJECT[kind]} ${childId} deleted` }] }),
    {
      remove: true,
    },
  );

/** Changes (or, `remove`, deletes) an activity or opportunity (changeVersioned: 404 unknown, 412 stale If-Match, retry), its events in the same transaction. */
export const changeChild = (
  request: Request,
  kind: ChildKind,
  childId: string,
  decide: (current: ChildRecord) => { record: ChildRecord; events: { type: CrmEventType; description: string; data?: Record<string, unknown> }[] },
  { remove = false } = {},
): Promise<Response> => {
  const customerId = request.params.id!;
  return changeVersioned(request, {
    read: async () => {
      await checkCustomerReach(request, customerId, 'write', () => childNotFound(kind, childId));
      return loaded(await getChild(kind, request.caller.tenantId, customerId, childId));
    },
    missing: () => childNotFound(kind, childId),
    decide: (current) => {
      const change = decide(current);
      return { ...change, record: { ...change.record, id: current.id, customerId, tenantId: current.tenantId } };
    },
    write: ({ current, next, events }) => {
      const view = childView(next);
      const pending = events.map((e, i) =>
        crmEvent(request, e.type, { type: SUBJECT[kind], id: childId }, current.sequence + i + 1, { [DATA_KEY[kind]]: view, ...e.data }, e.description),
      );
      return remove ? deleteChild(kind, current, pending) : putChild(kind, next, current.version, pending);
    },
    respond: (record) => (remove ? { status: 204 } : { status: 200, body: childView(record), headers: { etag: etag(record.version) } }),
  });
};

/** A record with the given changes applied: `null` removes a field. */
export const withChanges = (record: ChildRecord, changes: Record<string, unknown>): ChildRecord => {
  const next: ChildRecord = { ...record };
  for (const [field, value] of Object.entries(changes)) {
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  return next;
};
