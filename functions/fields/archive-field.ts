import { defineHandler } from '../http/kernel.ts';
import { changeField } from './field-changes.ts';
import { fields } from './operations.ts';

/**
 * POST /api/v1/fields/{object}/{key}/archive — the field leaves every view and is refused in
 * writes; its stored values stay (restoring shows them again) and its key stays taken. A field
 * already archived answers as it is. If-Match honoured.
 */
export const handler = defineHandler(fields.archiveField, (request) =>
  changeField(request, (current) =>
    current.archived ? { record: current, events: [] } : { record: { ...current, archived: true }, events: ['FieldArchived'] },
  ),
);
