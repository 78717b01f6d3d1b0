import { toTmfCustomer } from '../domain/customer-model.ts';
import { newEvent, type PendingEvent } from './envelope.ts';

/** The source of TMF629's events on the bus: the hub notifier's rule matches it. */
export const TMF_SOURCE = 'rapport.tmf629';

export const TMF_EVENT_TYPES = ['CustomerCreateEvent', 'CustomerAttributeValueChangeEvent', 'CustomerStateChangeEvent', 'CustomerDeleteEvent'] as const;
export type TmfEventType = (typeof TMF_EVENT_TYPES)[number];

/**
 * The TMF events a change of a stored customer yields, whichever API made it (TMF629, the CRM API):
 * created (no `before`), deleted (no `after`), or its TMF representation changed — with a state
 * change event too when `status` changed. None when the TMF view is the same before and after.
 */
export const tmfEventTypesOf = (before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined, baseUrl: string): TmfEventType[] => {
  if (!before) return after ? ['CustomerCreateEvent'] : [];
  if (!after) return ['CustomerDeleteEvent'];
  const [was, is] = [toTmfCustomer(before as { id: string }, baseUrl), toTmfCustomer(after as { id: string }, baseUrl)];
  if (JSON.stringify(was) === JSON.stringify(is)) return [];
  return was.status === is.status ? ['CustomerAttributeValueChangeEvent'] : ['CustomerAttributeValueChangeEvent', 'CustomerStateChangeEvent'];
};

/** Who made a change, for the events it yields. */
export interface ChangeContext {
  tenantId: string;
  actor: string;
  correlationId: string;
  /** Scheme and host the caller used, for the customer's `href` in the event. */
  baseUrl: string;
}

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
      data: { customer: toTmfCustomer(record, context.baseUrl) },
    }),
    ...(mirror ? { mirror: true as const } : {}),
  }));
