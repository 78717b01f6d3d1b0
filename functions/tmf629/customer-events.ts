import { newEvent, type PendingEvent } from '../events/envelope.ts';
import type { CustomerRecord } from '../storage/customer-items.ts';
import type { Request } from '../http/kernel.ts';
import { TMF_SOURCE, toTmfCustomer } from './customer-view.ts';

export const TMF_EVENT_TYPES = ['CustomerCreateEvent', 'CustomerAttributeValueChangeEvent', 'CustomerStateChangeEvent', 'CustomerDeleteEvent'] as const;
export type TmfEventType = (typeof TMF_EVENT_TYPES)[number];

/**
 * The events one change of a customer yields, numbered on from its sequence. `record` is the state
 * after the change (before it, for a delete); the TMF representation travels in the event.
 */
export const customerEvents = (types: TmfEventType[], record: CustomerRecord, request: Request<unknown>, previousSequence: number): PendingEvent[] =>
  types.map((eventType, i) =>
    newEvent({
      source: TMF_SOURCE,
      eventType,
      tenantId: record.tenantId,
      subject: { type: 'Customer', id: record.id },
      sequence: previousSequence + i + 1,
      actor: request.caller.sub,
      correlationId: request.correlationId,
      data: { customer: toTmfCustomer(record, request.baseUrl) },
    }),
  );
