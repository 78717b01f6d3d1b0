import { newEvent, type PendingEvent } from '../domain/event-envelope.ts';
import type { Request } from '../http/kernel.ts';
import { CRM_SOURCE } from './customer-view.ts';

export const CRM_EVENT_TYPES = [
  'CustomerCreated',
  'CustomerUpdated',
  'CrmStatusChanged',
  'OwnerAssigned',
  'OwnerRemoved',
  'TagAdded',
  'TagRemoved',
  'NextActionSet',
  'ActivityCreated',
  'ActivityUpdated',
  'ActivityCompleted',
  'ActivityDeleted',
  'OpportunityCreated',
  'OpportunityUpdated',
  'OpportunityStatusChanged',
  'OpportunityDeleted',
  'CustomerNextActionOverdue',
  'ActivityDue',
  'CustomerDeleted',
  'CustomerRestored',
  'CustomerErased',
  'CustomersMerged',
  'CustomerUnmerged',
  'CustomerShared',
  'CustomerUnshared',
] as const;
export type CrmEventType = (typeof CRM_EVENT_TYPES)[number];

/** A `rapport.crm` event about a subject (Customer, Activity, Opportunity) of the caller's tenant. */
export const crmEvent = (
  request: Request<unknown>,
  eventType: CrmEventType,
  subject: { type: 'Customer' | 'Activity' | 'Opportunity'; id: string },
  sequence: number,
  data: Record<string, unknown>,
  description: string,
  /** A given id, for a fact recorded once whoever records it (CustomerNextActionOverdue); otherwise a new one. */
  eventId?: string,
): PendingEvent =>
  newEvent({
    source: CRM_SOURCE,
    eventType,
    tenantId: request.caller.tenantId,
    subject,
    sequence,
    actor: request.caller.sub,
    correlationId: request.correlationId,
    data,
    description,
    ...(eventId ? { eventId } : {}),
  });
