import type { Request, Response } from '../http/kernel.ts';
import { badRequest, payloadTooLarge } from '../http/errors.ts';
import { etag } from '../http/preconditions.ts';
import { changeVersioned, loaded, type Decision } from '../http/versioned-change.ts';
import { CUSTOM_FIELD_LIMITS, definitionBytes, definitionProblems, type FieldDefinition } from '../domain/custom-fields.ts';
import { fieldEvent, type FieldEventType } from '../events/field-events.ts';
import { getFieldDefinition, replaceFieldDefinition, type StoredFieldDefinition } from '../storage/fields/field-definitions.ts';
import { fieldNotFound, fieldObject, fieldView } from './field-view.ts';

/**
 * A definition as it may be stored: consistent (every problem at once, 400), and within its byte
 * budget (413). `extra` are further problems the caller found (a change's).
 */
export const checkedDefinition = async <D extends FieldDefinition>(definition: D, extra: string[] = []): Promise<D> => {
  const problems = [...(await definitionProblems(definition)), ...extra];
  if (problems.length > 0) throw badRequest(`Invalid field: ${problems.join('; ')}`);
  const bytes = definitionBytes(definition);
  if (bytes > CUSTOM_FIELD_LIMITS.definitionBytes)
    throw payloadTooLarge(
      `The field '${definition.key}' would take ${bytes} bytes; a definition takes at most ${CUSTOM_FIELD_LIMITS.definitionBytes} (its options and labels count most).`,
    );
  return definition;
};

const VERBS: Record<FieldEventType, string> = { FieldCreated: 'created', FieldUpdated: 'changed', FieldArchived: 'archived', FieldRestored: 'restored' };

/** The definition's event: its view after the change, and what else it says (the view before). */
export const newFieldEvent = (
  request: Request<unknown>,
  eventType: FieldEventType,
  field: StoredFieldDefinition,
  sequence: number,
  extra: Record<string, unknown> = {},
) =>
  fieldEvent({
    eventType,
    tenantId: field.tenantId,
    object: field.object,
    key: field.key,
    sequence,
    actor: request.caller.sub,
    correlationId: request.correlationId,
    data: { field: fieldView(field), ...extra },
    description: `Field '${field.key}' ${VERBS[eventType]}`,
  });

/**
 * A change of a definition through `changeVersioned` (404, If-Match 412, retry on a concurrent
 * change), written with its event: `decide` answers the definition after it and its event type
 * (none: nothing changed). The event carries the field before and after.
 */
export const changeField = (
  request: Request,
  decide: (current: StoredFieldDefinition) => Promise<Decision<StoredFieldDefinition, FieldEventType>> | Decision<StoredFieldDefinition, FieldEventType>,
): Promise<Response> => {
  const object = fieldObject(request.params.object!);
  const key = request.params.key!;
  return changeVersioned(request, {
    read: async () => loaded(await getFieldDefinition(request.caller.tenantId, object, key)),
    missing: () => fieldNotFound(object, key),
    decide,
    write: ({ current, next, events }) =>
      replaceFieldDefinition(
        current,
        next,
        events.map((type, i) => newFieldEvent(request, type, next, current.sequence + i + 1, { before: fieldView(current) })),
      ),
    respond: (field) => ({ status: 200, body: fieldView(field), headers: { etag: etag(field.version) } }),
  });
};
