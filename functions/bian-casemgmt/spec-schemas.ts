// Generated from BIAN CustomerCaseManagement 12.0.0 (../shared/specs/bian/CustomerCaseManagement-v12.0.0.yaml) by lib/bian-schemas.ts — do not edit; run `npm run bian-schemas`.
import * as z from 'zod/mini';

export const F_Performance: Record<string, z.ZodMiniType> = {
  get "CustomerCaseResourceUtilization"() { return z.optional(z.string()); },
  get "CustomerCaseLoadingProjections"() { return z.optional(z.string()); },
  get "CustomerCaseResolutionServiceStatistics"() { return z.optional(z.string()); },
  get "CustomerCaseServiceStatisticType"() { return z.optional(z.string()); },
  get "CustomerCaseServiceStatisticValue"() { return z.optional(z.string()); },
  get "CustomerCaseServiceStatisticInterpretation"() { return z.optional(z.string()); },
  get "CustomerCaseServiceStatisticRecommendation"() { return z.optional(z.string()); },
};
export const S_Performance: z.ZodMiniType = z.lazy(() => z.looseObject(F_Performance));
export const F_Rules: Record<string, z.ZodMiniType> = {
  get "CustomerCaseDecisionCriterion"() { return z.optional(z.string()); },
  get "CustomerCaseDecisionCriterionDefinition"() { return z.optional(z.string()); },
  get "CustomerCaseDecisionCriterionRules"() { return z.optional(z.string()); },
  get "CustomerCaseDecisionCriterionAnalysis"() { return z.optional(z.string()); },
  get "CustomerCaseDecisionCriterionHistory"() { return z.optional(z.string()); },
};
export const S_Rules: z.ZodMiniType = z.lazy(() => z.looseObject(F_Rules));
export const F_CustomerCaseManagementPlan: Record<string, z.ZodMiniType> = {
  get "CustomerCaseManagementPlanPeriod"() { return z.optional(z.string()); },
  get "CustomerCasePoliciesAndGuidelines"() { return z.optional(z.string()); },
  get "CustomerCaseServicePerformanceGoals"() { return z.optional(z.string()); },
  get "CustomerCaseServiceSchedule"() { return z.optional(z.string()); },
  get "CustomerCaseServiceOperatingConfiguration"() { return z.optional(z.string()); },
  get "CustomerCaseResourcePlan"() { return z.optional(z.string()); },
  get "CustomerCaseTrainingPlan"() { return z.optional(z.string()); },
};
export const S_CustomerCaseManagementPlan: z.ZodMiniType = z.lazy(() => z.looseObject(F_CustomerCaseManagementPlan));
export const F_RetrieveCustomerCaseManagementPlanResponse: Record<string, z.ZodMiniType> = {
  get "CustomerCaseManagementPlan"() { return z.optional(z.string()); },
};
export const S_RetrieveCustomerCaseManagementPlanResponse: z.ZodMiniType = z.lazy(() => z.looseObject(F_RetrieveCustomerCaseManagementPlanResponse));
export const F_RetrieveRulesResponse: Record<string, z.ZodMiniType> = {
  get "Rules"() { return z.optional(z.string()); },
};
export const S_RetrieveRulesResponse: z.ZodMiniType = z.lazy(() => z.looseObject(F_RetrieveRulesResponse));
export const F_RetrievePerformanceResponse: Record<string, z.ZodMiniType> = {
  get "Performance"() { return z.optional(z.string()); },
};
export const S_RetrievePerformanceResponse: z.ZodMiniType = z.lazy(() => z.looseObject(F_RetrievePerformanceResponse));
