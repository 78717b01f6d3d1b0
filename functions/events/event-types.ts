/**
 * The catalog of published event types: source, detail-type and the schema of `detail`. The JSON
 * Schemas in `schemas/events/` are generated from it (`npm run event-schemas`), and a test fails
 * when the checked-in files drift from it.
 */
import * as z from 'zod/mini';
import type { ZodMiniType } from 'zod/mini';
import { Customer } from '../tmf629/schemas.ts';
import { TMF_EVENT_TYPES } from '../tmf629/customer-events.ts';
import { TMF_SOURCE } from '../tmf629/customer-view.ts';

/** The envelope every event carries as `detail` (see events/envelope.ts). */
export const envelopeOf = (eventType: string, subjectType: string, data: ZodMiniType) =>
  z.object({
    eventId: z.string(),
    eventTime: z.iso.datetime({ offset: true }),
    eventType: z.literal(eventType),
    tenantId: z.string(),
    subject: z.object({ type: z.literal(subjectType), id: z.string() }),
    sequence: z.int().check(z.minimum(1)),
    actor: z.string(),
    correlationId: z.string(),
    data,
  });

export interface EventType {
  source: string;
  detailType: string;
  description: string;
  detail: ZodMiniType;
}

const TMF_DESCRIPTIONS: Record<(typeof TMF_EVENT_TYPES)[number], string> = {
  CustomerCreateEvent: 'A customer was created (TMF629).',
  CustomerAttributeValueChangeEvent: 'Attributes of a customer changed (TMF629); data carries the whole customer after the change.',
  CustomerStateChangeEvent: 'The status of a customer changed (TMF629).',
  CustomerDeleteEvent: 'A customer was deleted (TMF629); data carries its last state.',
};

export const eventTypes: readonly EventType[] = TMF_EVENT_TYPES.map((detailType) => ({
  source: TMF_SOURCE,
  detailType,
  description: TMF_DESCRIPTIONS[detailType],
  detail: envelopeOf(detailType, 'Customer', z.object({ customer: Customer })),
}));
