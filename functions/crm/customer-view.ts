import type { CustomerRecord } from '../storage/customers/customer-items.ts';
import { profileFromTmf, type ContactMedium, type EngagedParty } from '../domain/customer-mapping.ts';
import { shownCustomValues, storedCustomValues, type FieldsInForce } from '../domain/custom-values.ts';

export const CRM_BASE_PATH = '/api/v1/crm/customers';
export const CRM_SOURCE = 'rapport.crm';

/** CRM-only attributes stored on the customer item beside the TMF ones. */
export const CRM_ATTRIBUTES = [
  'contacts',
  'avatar',
  'btw',
  'kvk',
  'industry',
  'leadSource',
  'preferredLanguage',
  'region',
  'subsidiaryId',
  'userId',
  'visits',
  'website',
  'crmStatus',
  'ownerId',
  'teamId',
  'externalId',
  'nextAction',
  'nextActionDueDate',
  'mergedIds',
] as const;

/**
 * The customer as the seed shows it. Type, email, phone and addresses are read from the TMF
 * attributes. `customFields`: the values of the tenant's active fields (`fields`), and, when a
 * value holds an option since retired, `customFieldsRetired` naming them by field.
 */
export const toCrmCustomer = (record: CustomerRecord, fields: FieldsInForce): Record<string, unknown> => {
  const view: Record<string, unknown> = {
    id: record.id,
    tenantId: record.tenantId,
    name: record.name,
    ...profileFromTmf(record.engagedParty as EngagedParty | undefined, record.contactMedium as ContactMedium[] | undefined),
  };
  for (const name of CRM_ATTRIBUTES) if (record[name] !== undefined) view[name] = record[name];
  view.crmStatus ??= 'LEAD';
  view.tags = record.tags ?? [];
  const { values, retired } = shownCustomValues(storedCustomValues(record), fields);
  view.customFields = values;
  if (Object.keys(retired).length > 0) view.customFieldsRetired = retired;
  view.created = record.created;
  view.createdBy = record.createdBy;
  view.updated = record.updated;
  view.updatedBy = record.updatedBy;
  return view;
};

/** Timeline types of the seed (`events[].type`), by event detail-type of either family. */
const TIMELINE_TYPES: Record<string, string> = {
  CustomerCreated: 'CREATE',
  CustomerCreateEvent: 'CREATE',
  CustomerUpdated: 'UPDATE',
  CustomerAttributeValueChangeEvent: 'UPDATE',
  CrmStatusChanged: 'STATUS_CHANGE',
  CustomerStateChangeEvent: 'STATUS_CHANGE',
  CustomerDeleteEvent: 'DELETE',
  OwnerAssigned: 'OWNER_ASSIGNED',
  OwnerRemoved: 'OWNER_REMOVED',
  TagAdded: 'TAG_ADDED',
  TagRemoved: 'TAG_REMOVED',
  NextActionSet: 'NEXT_ACTION',
  ActivityCreated: 'ACTIVITY',
  ActivityUpdated: 'ACTIVITY',
  ActivityCompleted: 'ACTIVITY_COMPLETED',
  OpportunityCreated: 'OPPORTUNITY',
  OpportunityUpdated: 'OPPORTUNITY',
  OpportunityStatusChanged: 'OPPORTUNITY_STATUS_CHANGE',
  CustomerNextActionOverdue: 'NEXT_ACTION_OVERDUE',
  ActivityDue: 'ACTIVITY_DUE',
};

/** An event item as a timeline entry: the same item the stream publishes. */
export const toTimelineEntry = (item: Record<string, unknown>) => {
  const detail = item.detail as { eventId: string; eventTime: string; actor: string; eventType: string };
  return {
    id: detail.eventId,
    type: TIMELINE_TYPES[detail.eventType] ?? detail.eventType,
    date: detail.eventTime,
    authorId: detail.actor,
    description: String(item.description ?? detail.eventType),
  };
};
