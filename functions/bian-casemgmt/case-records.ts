/** BIAN Customer Case Management v12 records: bodies from the official file plus Rapport's extensions. */
import * as z from 'zod/mini';
import type { ZodMiniType } from 'zod/mini';
import { F_CustomerCaseManagementPlan, F_Performance, F_Rules } from './spec-schemas.ts';
import type { statisticsView } from '../domain/case-statistics.ts';

export const CASE_SOURCE = 'rapport.bian.casemgmt';
export const CASE_BASE = '/CustomerCaseManagement';
export const CASE_FAMILY = 'CASEPLAN';

export type CaseKind = 'CustomerCaseManagementPlan' | 'Rules' | 'Performance';

const hours = z.lazy(() => z.number().check(z.gt(0), z.lte(24 * 365)));
/** Rules extension: resolution targets in hours per incident priority. */
export const ResolutionTargets = z.lazy(() =>
  z.strictObject({ low: z.optional(hours), medium: z.optional(hours), high: z.optional(hours), critical: z.optional(hours) }),
);

const FIELDS: Record<CaseKind, Record<string, ZodMiniType>> = {
  CustomerCaseManagementPlan: F_CustomerCaseManagementPlan,
  Rules: { ...F_Rules, ResolutionTargets: z.optional(ResolutionTargets) },
  Performance: F_Performance,
};

export const caseBody = (kind: CaseKind) => z.strictObject({ ...FIELDS[kind] });

const figuresShape = () => ({ open: z.number(), resolved: z.number(), resolvedWithinTarget: z.number(), meanTimeToResolutionHours: z.nullable(z.number()) });
const figures = z.lazy(() => z.object(figuresShape()));
const ActionRecord = z.lazy(() => z.looseObject({ ActionTaskReference: z.string(), ActionType: z.string() }));

const viewShape = (kind: CaseKind) => ({
  ...FIELDS[kind],
  [`${kind}Reference`]: z.string(),
  CustomerCaseManagementPlanReference: z.string(),
  ActionRecords: z.array(ActionRecord),
  ...(kind === 'Performance' ? { CaseStatistics: z.object({ ...figuresShape(), byPriority: z.record(z.string(), figures) }) } : {}),
});

/** The record as answered (bare), with its reference, its plan's reference, action records and extensions. */
export const caseView = (kind: CaseKind) => z.looseObject(viewShape(kind));

/**
 * A Retrieve's answer: the record bare, as every other answer of the family and every BIAN v12
 * Retrieve but this file's (whose `Retrieve…Response` wraps it), and the same record under its
 * kind's name, the shape Retrieve answered first, for the callers that read it there.
 */
export const retrievedView = (kind: CaseKind) => z.looseObject({ ...viewShape(kind), [kind]: caseView(kind) });

export type CaseStatistics = ReturnType<typeof statisticsView>;
