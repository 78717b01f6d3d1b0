import { tableName } from '../storage/table/db.ts';
import { getCustomer } from '../storage/customers/customers.ts';
import { childItem, type ChildRecord } from '../storage/customers/customer-children.ts';
import type { BianRecord } from '../storage/bian/bian-records.ts';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** `CustomerReference.PartyReference.PartyIdentification.PartyIdentification.IdentifierValue.Value` of a plan. */
export const customerReferenceOf = (record: Record<string, unknown>): string | undefined => {
  let value: unknown = record;
  for (const step of ['CustomerReference', 'PartyReference', 'PartyIdentification', 'PartyIdentification', 'IdentifierValue', 'Value']) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[step] : undefined;
  }
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/**
 * A plan belongs to the tenant's customer its reference names, when the caller may change that
 * customer (`mayLink`); any other reference is kept as external (a customer the caller may not see
 * is, to them, one that does not exist).
 */
export const linkOf = async (
  tenantId: string,
  record: Record<string, unknown>,
  mayLink: (customer: Record<string, unknown>) => boolean,
): Promise<Pick<BianRecord, 'customerId' | 'externalCustomerReference'>> => {
  const reference = customerReferenceOf(record);
  if (!reference) return {};
  const customer = await getCustomer(tenantId, reference);
  return customer && mayLink(customer) ? { customerId: reference } : { externalCustomerReference: reference };
};

const text = (value: unknown): string | undefined => {
  const t = typeof value === 'object' && value !== null ? (value as { Text?: unknown }).Text : undefined;
  return typeof t === 'string' ? t : undefined;
};

/** An ISO instant from BIAN's `DateContent` (a date or a date-time), or undefined when it is not one. */
const instantOf = (value: unknown): string | undefined => {
  const content = typeof value === 'object' && value !== null ? (value as { DateContent?: unknown }).DateContent : undefined;
  if (typeof content !== 'string' || Number.isNaN(Date.parse(content))) return undefined;
  return new Date(content).toISOString();
};

/**
 * The CRM activity that mirrors a BIAN record of a linked plan: a Contact with a contact date is a
 * MEETING (a CALL when its type says call or phone) due at that date; a Development task is a TASK.
 * The activity has the BIAN record's id and is written in the BIAN change's own transaction, so the
 * enriched customer and the due sweep see it.
 */
export const mirroredActivity = async (kind: string, record: BianRecord, plan: BianRecord): Promise<TransactItem | undefined> => {
  if (!plan.customerId || (kind !== 'Contact' && kind !== 'Development')) return undefined;
  // Nothing more is mirrored to a customer that is not live (deleted, merged, erased: an erased customer's plans are erased with it).
  if (!(await getCustomer(record.tenantId, plan.customerId))) return undefined;
  const fields = record.record;
  let activity: Record<string, unknown>;
  if (kind === 'Contact') {
    const dueDate = instantOf(fields.CustomerRelationshipContactDate);
    if (!dueDate) return undefined;
    const contactType = text(fields.CustomerRelationshipContactType) ?? 'Contact';
    activity = {
      type: /call|phone/i.test(contactType) ? 'CALL' : 'MEETING',
      subject: contactType,
      dueDate,
      outcome: text(fields.CustomerRelationshipContactResult),
    };
  } else {
    activity = {
      type: 'TASK',
      subject: text(fields.CustomerDevelopmentTaskType) ?? 'Development task',
      description: text(fields.CustomerDevelopmentTaskDescription),
    };
  }
  const mirror: ChildRecord = {
    ...Object.fromEntries(Object.entries(activity).filter(([, v]) => v !== undefined)),
    id: record.id,
    customerId: plan.customerId,
    tenantId: record.tenantId,
    completed: false,
    priority: 'MEDIUM',
    ownerId: record.createdBy,
    bianPlanReference: plan.id,
    bianRecordKind: kind,
    version: record.version,
    sequence: record.sequence,
    created: record.created,
    createdBy: record.createdBy,
    updated: record.updated,
    updatedBy: record.updatedBy,
  };
  return {
    Put: {
      TableName: tableName(),
      Item: childItem('ACTIVITY', mirror),
      ConditionExpression: 'attribute_not_exists(pk) OR bianPlanReference = :plan',
      ExpressionAttributeValues: { ':plan': plan.id },
    },
  };
};
