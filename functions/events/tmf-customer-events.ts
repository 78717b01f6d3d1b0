import { jsonEqual } from '../domain/canonical-json.ts';
import { tmfAttributesOf } from '../domain/customer-model.ts';
import { notShownAsStored, showCustomer } from '../domain/tmf629/generation.ts';
import { v4 } from '../domain/tmf629/generations.ts';
import { newEvent, type PendingEvent } from '../domain/event-envelope.ts';
import { withCustomCharacteristics, type FieldsInForce } from '../domain/custom-values.ts';

/** The source of TMF629's events on the bus: the hub notifier's rule matches it. */
export const TMF_SOURCE = 'rapport.tmf629';

export const TMF_EVENT_TYPES = ['CustomerCreateEvent', 'CustomerAttributeValueChangeEvent', 'CustomerStateChangeEvent', 'CustomerDeleteEvent'] as const;
export type TmfEventType = (typeof TMF_EVENT_TYPES)[number];

/**
 * The TMF events a change of a customer's TMF attributes yields, whichever API made it (any TMF629
 * generation's PATCH and PUT, the CRM API): none when they are equal, otherwise an attribute value
 * change, and a state change too when `status` changed.
 */
export const tmfChangeTypes = (before: Record<string, unknown>, after: Record<string, unknown>): TmfEventType[] => {
  if (jsonEqual(before, after)) return [];
  return before.status === after.status ? ['CustomerAttributeValueChangeEvent'] : ['CustomerAttributeValueChangeEvent', 'CustomerStateChangeEvent'];
};

/** Who made a change, for the events it yields. */
export interface ChangeContext {
  tenantId: string;
  actor: string;
  correlationId: string;
  /** Scheme and host the caller used, for the customer's `href` in the event. */
  baseUrl: string;
  /** The tenant's custom fields in force: the customer's custom values are among its characteristics. */
  fields: FieldsInForce;
}

/**
 * What a TMF event carries: the customer as v4 shows it (the bus's contract since v4), and, when
 * there is any, what of the stored customer v4 does not show as stored (`notInV4`: another
 * generation's attributes, items v4 cannot hold), so the hub notifier can show the customer to a
 * v3 or v5 listener as its generation shows it. The customer's custom values are among its
 * characteristics, typed by their fields.
 */
export const tmfEventData = (
  record: { id: string } & Record<string, unknown>,
  baseUrl: string,
  fields: FieldsInForce,
): { customer: Record<string, unknown>; notInV4?: Record<string, unknown> } => {
  const shown = withCustomCharacteristics(record, fields);
  const notInV4 = notShownAsStored(v4, tmfAttributesOf(shown));
  return { customer: showCustomer(v4, shown, baseUrl), ...(Object.keys(notInV4).length > 0 ? { notInV4 } : {}) };
};

/**
 * The TMF events of one change of `record` (its state after the change; before it, for a delete),
 * numbered from `firstSequence`; `mirror` when another family's events tell the same change (they
 * are published, but the timeline shows the other family's).
 */
export const tmfCustomerEvents = (
  types: TmfEventType[],
  record: { id: string } & Record<string, unknown>,
  context: ChangeContext,
  firstSequence: number,
  mirror = false,
): PendingEvent[] =>
  types.map((eventType, i) => ({
    ...newEvent({
      source: TMF_SOURCE,
      eventType,
      tenantId: context.tenantId,
      subject: { type: 'Customer', id: record.id },
      sequence: firstSequence + i,
      actor: context.actor,
      correlationId: context.correlationId,
      data: tmfEventData(record, context.baseUrl, context.fields),
    }),
    ...(mirror ? { mirror: true as const } : {}),
  }));
