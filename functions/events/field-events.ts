import * as z from 'zod/mini';
import { newEvent, type PendingEvent } from '../domain/event-envelope.ts';
import { FIELD_TYPES } from '../domain/custom-fields.ts';

/**
 * The events of custom field definitions (`rapport.fields`): every change of a tenant's fields is
 * one, published, in the feed and deliverable like any other. The subject is the field, by its
 * object and key (`customer.kyc_review_date`).
 */
export const FIELD_SOURCE = 'rapport.fields';

export const FIELD_EVENT_TYPES = ['FieldCreated', 'FieldUpdated', 'FieldArchived', 'FieldRestored'] as const;
export type FieldEventType = (typeof FIELD_EVENT_TYPES)[number];

const Option = z.object({ key: z.string(), label: z.string(), retired: z.optional(z.boolean()) });

/** A definition as the field API and its events show it. */
export const FieldView = z.object({
  object: z.string(),
  key: z.string(),
  label: z.string(),
  description: z.optional(z.string()),
  group: z.optional(z.string()),
  type: z.enum(FIELD_TYPES),
  required: z.boolean(),
  unique: z.boolean(),
  sensitive: z.boolean(),
  searchable: z.boolean(),
  archived: z.boolean(),
  min: z.optional(z.number()),
  max: z.optional(z.number()),
  minLength: z.optional(z.int()),
  maxLength: z.optional(z.int()),
  pattern: z.optional(z.string()),
  scale: z.optional(z.int()),
  options: z.optional(z.array(Option)),
  defaultCountry: z.optional(z.string()),
  default: z.optional(z.unknown()),
  version: z.number(),
  created: z.string(),
  createdBy: z.string(),
  updated: z.string(),
  updatedBy: z.string(),
});

/** The subject id of a field: its object and key. */
export const fieldSubjectId = (object: string, key: string): string => `${object}.${key}`;

export const fieldEvent = (input: {
  eventType: FieldEventType;
  tenantId: string;
  object: string;
  key: string;
  sequence: number;
  actor: string;
  correlationId: string;
  data: Record<string, unknown>;
  description: string;
}): PendingEvent =>
  newEvent({
    source: FIELD_SOURCE,
    eventType: input.eventType,
    tenantId: input.tenantId,
    subject: { type: 'Field', id: fieldSubjectId(input.object, input.key) },
    sequence: input.sequence,
    actor: input.actor,
    correlationId: input.correlationId,
    data: input.data,
    description: input.description,
  });
