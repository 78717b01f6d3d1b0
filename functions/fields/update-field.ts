import { defineHandler } from '../http/kernel.ts';
import { jsonEqual } from '../domain/canonical-json.ts';
import { definitionChangeProblems } from '../domain/custom-fields.ts';
import { applyMergePatch } from '../domain/merge-patch.ts';
import type { StoredFieldDefinition } from '../storage/fields/field-definitions.ts';
import { changeField, checkedDefinition } from './field-changes.ts';
import { fields } from './operations.ts';

/**
 * PATCH /api/v1/fields/{object}/{key} — a merge patch of the definition (`null` clears a
 * constraint; `options` is replaced whole: options are added, relabelled or retired, never
 * dropped). Key and unique never change; the type only safely (SAFE_TYPE_CHANGES). A tightened
 * constraint or a new `required` applies to writes from then on; stored values stay. If-Match honoured.
 */
export const handler = defineHandler(fields.updateField, (request) =>
  changeField(request, async (current) => {
    const next = applyMergePatch(current, request.body) as StoredFieldDefinition;
    if (jsonEqual(current, next)) return { record: current, events: [] };
    await checkedDefinition(next, definitionChangeProblems(current, next));
    return { record: next, events: ['FieldUpdated'] };
  }),
);
