import { defineHandler } from '../http/kernel.ts';
import { checkTeam, refuseClosedCustomValues } from '../http/access.ts';
import { parseWith } from '../http/validation.ts';
import { jsonEqual } from '../domain/canonical-json.ts';
import { applyProfileToTmf, type ContactMedium, type EngagedParty } from '../domain/customer-mapping.ts';
import type { CustomerRecord } from '../storage/customers/customer-items.ts';
import { CustomerAttributes, tmfAttributesOf } from '../domain/customer-model.ts';
import { shownAttributes } from '../domain/tmf629/generation.ts';
import { v4 } from '../domain/tmf629/generations.ts';
import { changeCustomer } from './customer-changes.ts';
import { crm } from './operations.ts';
import { withCheckedCustomValues } from '../http/custom-values.ts';
import { customValueChanges } from '../domain/custom-values.ts';
import { toCrmCustomer } from './customer-view.ts';

const MAPPED = ['type', 'email', 'phone', 'billingAddress', 'deliveryAddresses'] as const;

/**
 * PATCH /api/v1/crm/customers/{id} — profile fields; `null` clears one; If-Match → 412 when stale.
 * `customFields` changes the values it names (`null` clears one) and keeps the others; the
 * CustomerUpdated event says which changed, before and after (`data.customFields`).
 */
export const handler = defineHandler(crm.updateCrmCustomer, (request) =>
  changeCustomer(request, request.params.id!, async (current, fields) => {
    const { customFields, ...profile } = request.body;
    refuseClosedCustomValues(request, (customFields ?? {}) as Record<string, unknown>, fields);
    if (typeof profile.teamId === 'string') await checkTeam(request.caller.tenantId, profile.teamId);
    const next: CustomerRecord =
      customFields === undefined
        ? { ...current }
        : await withCheckedCustomValues({ ...current }, customFields as Record<string, unknown>, fields, { creating: false });
    const mapped: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(profile)) {
      if ((MAPPED as readonly string[]).includes(field)) mapped[field] = value;
      else if (value === null) delete next[field];
      else next[field] = value;
    }
    const tmf = applyProfileToTmf(
      { engagedParty: current.engagedParty as EngagedParty, contactMedium: current.contactMedium as ContactMedium[] | undefined },
      mapped,
    );
    next.engagedParty = tmf.engagedParty;
    if (tmf.contactMedium) next.contactMedium = tmf.contactMedium;
    else delete next.contactMedium;
    const [before, after] = [toCrmCustomer(current, fields), toCrmCustomer(next, fields)];
    const changed = Object.keys(request.body).filter((field) => !jsonEqual(before[field], after[field]));
    if (changed.length === 0) return { record: current, events: [] };
    const custom = customValueChanges(before.customFields as Record<string, unknown>, after.customFields as Record<string, unknown>);
    // The TMF view must stay valid whatever changed here (as v4 shows it: the store's own shape).
    parseWith(CustomerAttributes, shownAttributes(v4, tmfAttributesOf(next)), 'customer after the change');
    return {
      record: next,
      events: [{ type: 'CustomerUpdated', description: `Updated ${changed.join(', ')}`, data: { changed, ...(custom ? { customFields: custom } : {}) } }],
    };
  }),
);
