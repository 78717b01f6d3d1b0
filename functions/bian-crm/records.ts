/**
 * The four BIAN CRM record kinds, their request bodies (the spec's fields, generated from the v12
 * file, plus Rapport's documented extensions) and their views.
 */
import * as z from 'zod/mini';
import type { ZodMiniType } from 'zod/mini';
import { F_Contact, F_CustomerRelationshipManagementPlan, F_Development, F_Incident } from './spec-schemas.ts';
import { LIFECYCLE_CONTROLS, PRIORITY_CONTROLS } from '../domain/bian-lifecycle.ts';

export const BIAN_CRM_SOURCE = 'rapport.bian.crm';
export const BIAN_CRM_BASE = '/CustomerRelationshipManagement';
/** Partition family of the plans' item collections. */
export const PLAN_FAMILY = 'CRPLAN';

export type Kind = 'CustomerRelationshipManagementPlan' | 'Development' | 'Incident' | 'Contact';

interface KindSpec {
  fields: Record<string, ZodMiniType>;
  /** Control actions it accepts (none: no Control operation). */
  controls: readonly string[];
  /** Exchange actions it accepts (none: no Exchange operation). */
  exchanges: readonly string[];
  /** Has a lifecycle status of its own (plans and incidents). */
  lifecycle: boolean;
}

export const KINDS: Record<Kind, KindSpec> = {
  CustomerRelationshipManagementPlan: {
    fields: F_CustomerRelationshipManagementPlan,
    controls: LIFECYCLE_CONTROLS,
    exchanges: ['accept', 'verify', 'reject'],
    lifecycle: true,
  },
  Development: { fields: F_Development, controls: [], exchanges: ['accept', 'verify', 'reject'], lifecycle: false },
  Incident: { fields: F_Incident, controls: [...PRIORITY_CONTROLS, ...LIFECYCLE_CONTROLS], exchanges: ['accept', 'reject', 'confirm'], lifecycle: true },
  Contact: { fields: F_Contact, controls: [], exchanges: [], lifecycle: false },
};

const enumOf = (values: readonly string[]) => z.enum(values as [string, ...string[]]);

/** The record's own fields only; an unknown top-level field is a 400 naming it. */
export const recordBody = (kind: Kind) => z.strictObject({ ...KINDS[kind].fields });
/** Control: the record's fields plus ControlActionType (required) and ControlActionReason. */
export const controlBody = (kind: Kind) =>
  z.strictObject({ ...KINDS[kind].fields, ControlActionType: enumOf(KINDS[kind].controls), ControlActionReason: z.optional(z.string()) });
/** Exchange: the record's fields plus ExchangeActionType (required). */
export const exchangeBody = (kind: Kind) => z.strictObject({ ...KINDS[kind].fields, ExchangeActionType: enumOf(KINDS[kind].exchanges) });

const ActionRecord = z.lazy(() =>
  z.looseObject({
    ActionTaskReference: z.string(),
    ActionType: z.string(),
    ActionDateTime: z.string(),
    ActionInvolvedParty: z.string(),
    ActionDetails: z.record(z.string(), z.unknown()),
  }),
);

/** The record as answered: the spec's fields plus the documented extension attributes. */
export const recordView = (kind: Kind) =>
  z.looseObject({
    ...KINDS[kind].fields,
    [`${kind}Reference`]: z.string(),
    CustomerRelationshipManagementPlanReference: z.string(),
    ...(KINDS[kind].lifecycle ? { [`${kind}Status`]: z.enum(['active', 'suspended', 'terminated']) } : {}),
    ...(kind === 'Incident' ? { IncidentPriority: z.enum(['low', 'medium', 'high', 'critical']) } : {}),
    ...(KINDS[kind].exchanges.length > 0 ? { [`${kind}ExchangeStatus`]: z.optional(z.string()) } : {}),
    ...(kind === 'CustomerRelationshipManagementPlan'
      ? { LinkedCustomerReference: z.optional(z.string()), ExternalCustomerReference: z.optional(z.string()) }
      : {}),
    ActionRecords: z.array(ActionRecord),
  });
