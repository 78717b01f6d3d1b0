// Generated from BIAN CustomerCaseManagement 12.0.0 (../shared/specs/bian/CustomerCaseManagement-v12.0.0.yaml) by lib/bian-schemas.ts — do not edit; run `npm run bian-schemas`.
import * as z from 'zod/mini';

export const F_Performance: Record<string, z.ZodMiniType> = {
  "CustomerCaseResourceUtilization": z.optional(z.string()),
  "CustomerCaseLoadingProjections": z.optional(z.string()),
  "CustomerCaseResolutionServiceStatistics": z.optional(z.string()),
  "CustomerCaseServiceStatisticType": z.optional(z.string()),
  "CustomerCaseServiceStatisticValue": z.optional(z.string()),
  "CustomerCaseServiceStatisticInterpretation": z.optional(z.string()),
  "CustomerCaseServiceStatisticRecommendation": z.optional(z.string()),
};
export const S_Performance: z.ZodMiniType = z.looseObject(F_Performance);
export const F_Rules: Record<string, z.ZodMiniType> = {
  "CustomerCaseDecisionCriterion": z.optional(z.string()),
  "CustomerCaseDecisionCriterionDefinition": z.optional(z.string()),
  "CustomerCaseDecisionCriterionRules": z.optional(z.string()),
  "CustomerCaseDecisionCriterionAnalysis": z.optional(z.string()),
  "CustomerCaseDecisionCriterionHistory": z.optional(z.string()),
};
export const S_Rules: z.ZodMiniType = z.looseObject(F_Rules);
export const F_CustomerCaseManagementPlan: Record<string, z.ZodMiniType> = {
  "CustomerCaseManagementPlanPeriod": z.optional(z.string()),
  "CustomerCasePoliciesAndGuidelines": z.optional(z.string()),
  "CustomerCaseServicePerformanceGoals": z.optional(z.string()),
  "CustomerCaseServiceSchedule": z.optional(z.string()),
  "CustomerCaseServiceOperatingConfiguration": z.optional(z.string()),
  "CustomerCaseResourcePlan": z.optional(z.string()),
  "CustomerCaseTrainingPlan": z.optional(z.string()),
};
export const S_CustomerCaseManagementPlan: z.ZodMiniType = z.looseObject(F_CustomerCaseManagementPlan);
export const F_RetrieveCustomerCaseManagementPlanResponse: Record<string, z.ZodMiniType> = {
  "CustomerCaseManagementPlan": z.optional(z.string()),
};
export const S_RetrieveCustomerCaseManagementPlanResponse: z.ZodMiniType = z.looseObject(F_RetrieveCustomerCaseManagementPlanResponse);
export const F_RetrieveRulesResponse: Record<string, z.ZodMiniType> = {
  "Rules": z.optional(z.string()),
};
export const S_RetrieveRulesResponse: z.ZodMiniType = z.looseObject(F_RetrieveRulesResponse);
export const F_RetrievePerformanceResponse: Record<string, z.ZodMiniType> = {
  "Performance": z.optional(z.string()),
};
export const S_RetrievePerformanceResponse: z.ZodMiniType = z.looseObject(F_RetrievePerformanceResponse);
