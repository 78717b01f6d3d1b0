import { defineHandler } from '../http/kernel.ts';
import { changeField } from './field-changes.ts';
import { fields } from './operations.ts';

/** POST /api/v1/fields/{object}/{key}/restore — an archived field is in force again, its stored values shown. If-Match honoured. */
export const handler = defineHandler(fields.restoreField, (request) =>
  changeField(request, (current) => {
    if (!current.archived) return { record: current, events: [] };
    const { archived: _archived, ...restored } = current;
    return { record: restored, events: ['FieldRestored'] };
  }),
);
