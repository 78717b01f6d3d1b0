// Generated from BIAN CustomerRelationshipManagement 12.0.0 (../shared/specs/bian/CustomerRelationshipManagement-v12.0.0.yaml) by lib/bian-schemas.ts — do not edit; run `npm run bian-schemas`.
import * as z from 'zod/mini';

export const F_text: Record<string, z.ZodMiniType> = {
  get "Text"() { return z.optional(z.string()); },
};
export const S_text: z.ZodMiniType = z.lazy(() => z.looseObject(F_text));
export const F_datetime: Record<string, z.ZodMiniType> = {
  get "DateTimeContent"() { return z.optional(z.string()); },
  get "TimeZoneCode"() { return z.optional(z.string()); },
  get "DaylightSavingIndicator"() { return z.optional(z.string()); },
};
export const S_datetime: z.ZodMiniType = z.lazy(() => z.looseObject(F_datetime));
export const F_datetimeperiod: Record<string, z.ZodMiniType> = {
  get "FromDateTime"() { return z.optional(S_datetime); },
  get "ToDateTime"() { return z.optional(S_datetime); },
};
export const S_datetimeperiod: z.ZodMiniType = z.lazy(() => z.looseObject(F_datetimeperiod));
export const F_name: Record<string, z.ZodMiniType> = {
  get "Name"() { return z.optional(z.string()); },
};
export const S_name: z.ZodMiniType = z.lazy(() => z.looseObject(F_name));
export const S_partytypevalues = z.lazy(() => z.enum(["Person","Organisation"]));
export const S_partyidentificationtypevalues = z.lazy(() => z.enum(["Taxidentificationnumber","Nationalregistrationnumber","Registrationauthorityidentification","LEI(LegalEntityIdentifier)","Alienregistrationnumber","Passportnumber","Taxexemptidentificationnumber","Corporateidentification","Driverlicensenumber","Foreigninvestmentidentitynumber","Socialsecuritynumber","Identitycardnumber","Concat","Nationalregistrationidentificationnumber"]));
export const F_value: Record<string, z.ZodMiniType> = {
  get "Value"() { return z.optional(z.string()); },
};
export const S_value: z.ZodMiniType = z.lazy(() => z.looseObject(F_value));
export const F_identifier: Record<string, z.ZodMiniType> = {
  get "IdentifierValue"() { return z.optional(S_value); },
  get "IdentifierIssuingAuthority"() { return z.optional(S_involvedparty); },
  get "IdentifierStartDate"() { return z.optional(S_datetime); },
  get "IdentifierEndDate"() { return z.optional(S_datetime); },
};
export const S_identifier: z.ZodMiniType = z.lazy(() => z.looseObject(F_identifier));
export const F_partyidentification: Record<string, z.ZodMiniType> = {
  get "PartyIdentificationType"() { return z.optional(S_partyidentificationtypevalues); },
  get "PartyIdentification"() { return z.optional(S_identifier); },
};
export const S_partyidentification: z.ZodMiniType = z.lazy(() => z.looseObject(F_partyidentification));
export const S_partylegalstructuretypevalues = z.lazy(() => z.enum(["Individual","CommunityInterestCompany","CharitableIncorporatedOrganisation","Co-Operative","Charity","GeneralPartnership","LimitedLiabilityPartnership","ScottishLimitedPartnership","LimitedPartnership","PrivateLimitedCompany","PublicLimitedCompany","Sole(SoleTrader)"]));
export const F_party: Record<string, z.ZodMiniType> = {
  get "PartyName"() { return z.optional(S_name); },
  get "PartyType"() { return z.optional(S_partytypevalues); },
  get "PartyDateTime"() { return z.optional(S_datetime); },
  get "PartyIdentification"() { return z.optional(S_partyidentification); },
  get "PartyLegalStructureType"() { return z.optional(S_partylegalstructuretypevalues); },
};
export const S_party: z.ZodMiniType = z.lazy(() => z.looseObject(F_party));
export const S_partyinvolvementtypevalues = z.lazy(() => z.enum(["Agreementinvolvement","Partyinvolvement","Arrangementinvolvement","Designspecificationinvolvement","Relationshipinvolvement","Locationinvolvement","Bankguaranteeinvolvement"]));
export const F_partyrole: Record<string, z.ZodMiniType> = {
  get "PartyRoleType"() { return z.optional(S_text); },
  get "PartyRoleName"() { return z.optional(S_name); },
  get "PartyRoleValidityPeriod"() { return z.optional(S_datetimeperiod); },
  get "PartyInvolvementType"() { return z.optional(S_partyinvolvementtypevalues); },
};
export const S_partyrole: z.ZodMiniType = z.lazy(() => z.looseObject(F_partyrole));
export const F_involvedparty: Record<string, z.ZodMiniType> = {
  get "PartyReference"() { return z.optional(S_party); },
  get "PartyInvolvement"() { return z.optional(S_partyrole); },
};
export const S_involvedparty: z.ZodMiniType = z.lazy(() => z.looseObject(F_involvedparty));
export const F_status: Record<string, z.ZodMiniType> = {
  get "StatusReason"() { return z.optional(S_text); },
  get "StatusDateTime"() { return z.optional(S_datetime); },
  get "StatusValidityPeriod"() { return z.optional(S_datetimeperiod); },
  get "StatusInvolvedParty"() { return z.optional(S_involvedparty); },
};
export const S_status: z.ZodMiniType = z.lazy(() => z.looseObject(F_status));
export const S_geographicalareatypevalues = z.lazy(() => z.enum(["Continent","Country","State","District","Province","Town","City","Region"]));
export const S_addresstypevalues = z.lazy(() => z.enum(["PostalAddress","GeolocationAddress","LatitudeAddress","LongitudeAddress","ElectronicAddress"]));
export const F_address: Record<string, z.ZodMiniType> = {
  get "AddressType"() { return z.optional(S_addresstypevalues); },
  get "LocationReference"() { return z.optional(S_location); },
};
export const S_address: z.ZodMiniType = z.lazy(() => z.looseObject(F_address));
export const F_location: Record<string, z.ZodMiniType> = {
  get "LocationDescription"() { return z.optional(S_text); },
  get "LocationDateTime"() { return z.optional(S_datetime); },
  get "LocationStatus"() { return z.optional(S_status); },
  get "LocationType"() { return z.optional(S_geographicalareatypevalues); },
  get "LocationZoningType"() { return z.optional(S_text); },
  get "LocationNeighborhoodType"() { return z.optional(S_text); },
  get "LocationConstructionType"() { return z.optional(S_text); },
  get "LocationOccupancyType"() { return z.optional(S_text); },
  get "LocationValue"() { return z.optional(S_value); },
  get "LocationCapacity"() { return z.optional(S_text); },
  get "LocationIdentification"() { return z.optional(S_identifier); },
  get "LocationAddress"() { return z.optional(S_address); },
  get "LocationName"() { return z.optional(S_name); },
  get "LocationTimeZone"() { return z.optional(S_text); },
};
export const S_location: z.ZodMiniType = z.lazy(() => z.looseObject(F_location));
export const F_schedule: Record<string, z.ZodMiniType> = {
  get "ScheduleType"() { return z.optional(z.string()); },
};
export const S_schedule: z.ZodMiniType = z.lazy(() => z.looseObject(F_schedule));
export const S_devicetypevalues = z.lazy(() => z.enum(["Securecardreader","Nonsecurecardreader","Mobile","Tablet","Personalcomputer","Othernational","Otherprivate","Wearable","Vehicle","Embedded","Keyfob","Jewellery","Sticker","Gamingdevice","Watch","Unknown","BiometricDevice"]));
export const F_country: Record<string, z.ZodMiniType> = {
  get "NationalRegulatoryAuthority"() { return z.optional(S_involvedparty); },
};
export const S_country: z.ZodMiniType = z.lazy(() => z.looseObject(F_country));
export const S_deviceoperatingsystemtypevalues = z.lazy(() => z.enum(["Android","Ios","Windows","Blackberry","Tizen","Othernational","Otherprivate"]));
export const S_deviceidentificationtypevalues = z.lazy(() => z.enum(["IMEI","Serialnumber","Secureelementidentification","Othernational","Otherprivate"]));
export const F_device: Record<string, z.ZodMiniType> = {
  get "DeviceIdentification"() { return z.optional(S_identifier); },
  get "DeviceType"() { return z.optional(S_devicetypevalues); },
  get "DeviceProperty"() { return z.optional(S_text); },
  get "DeviceElement"() { return z.optional(S_text); },
  get "DeviceStatus"() { return z.optional(S_status); },
  get "DeviceVersion"() { return z.optional(z.string()); },
  get "DeviceDateTime"() { return z.optional(S_datetime); },
  get "DeviceDescription"() { return z.optional(S_text); },
  get "DeviceName"() { return z.optional(S_name); },
  get "DeviceLanguage"() { return z.optional(S_text); },
  get "DevicePhoneNumber"() { return z.optional(S_text); },
  get "DeviceLocation"() { return z.optional(S_location); },
  get "DeviceManufacturer"() { return z.optional(S_text); },
  get "DeviceCountry"() { return z.optional(S_country); },
  get "DeviceAddress"() { return z.optional(S_address); },
  get "DeviceAddressType"() { return z.optional(S_addresstypevalues); },
  get "DeviceOperatingSystem"() { return z.optional(S_deviceoperatingsystemtypevalues); },
  get "DeviceIdentificationType"() { return z.optional(S_deviceidentificationtypevalues); },
};
export const S_device: z.ZodMiniType = z.lazy(() => z.looseObject(F_device));
export const F_customercontact: Record<string, z.ZodMiniType> = {
  get "ContactType"() { return z.optional(S_text); },
  get "ContactDateTime"() { return z.optional(S_datetime); },
  get "ContactLocation"() { return z.optional(S_location); },
  get "ContactSchedule"() { return z.optional(S_schedule); },
  get "ContactResult"() { return z.optional(S_text); },
  get "ContactPurpose"() { return z.optional(S_text); },
  get "ContactDevice"() { return z.optional(S_device); },
  get "ContactIndicator"() { return z.optional(S_text); },
  get "ContactContent"() { return z.optional(S_text); },
};
export const S_customercontact: z.ZodMiniType = z.lazy(() => z.looseObject(F_customercontact));
export const F_date: Record<string, z.ZodMiniType> = {
  get "DateContent"() { return z.optional(z.string()); },
};
export const S_date: z.ZodMiniType = z.lazy(() => z.looseObject(F_date));
export const F_Contact: Record<string, z.ZodMiniType> = {
  get "CustomerRelationshipContactHistory"() { return z.optional(S_customercontact); },
  get "CustomerRelationshipContactSchedule"() { return z.optional(S_schedule); },
  get "CustomerRelationshipContactRecord"() { return z.optional(S_customercontact); },
  get "CustomerRelationshipContactDate"() { return z.optional(S_date); },
  get "EmployeeReference"() { return z.optional(S_involvedparty); },
  get "CustomerRelationshipContactType"() { return z.optional(S_text); },
  get "CustomerRelationshipContactResult"() { return z.optional(S_text); },
};
export const S_Contact: z.ZodMiniType = z.lazy(() => z.looseObject(F_Contact));
export const F_customerrelationshipdevelopment: Record<string, z.ZodMiniType> = {
  get "CustomerRelationshipDevelopmentTaskType"() { return z.optional(S_text); },
  get "CustomerRelationshipDevelopmentTaskDescription"() { return z.optional(S_text); },
  get "CustomerRelationshipDevelopmentTaskResult"() { return z.optional(S_text); },
};
export const S_customerrelationshipdevelopment: z.ZodMiniType = z.lazy(() => z.looseObject(F_customerrelationshipdevelopment));
export const S_workproducttypevalues = z.lazy(() => z.enum(["Document","WorkingPaper","ActivityLog","Form","File","MeetingSchedule","MeetingMinute"]));
export const F_workproduct: Record<string, z.ZodMiniType> = {
  get "WorkProductType"() { return z.optional(S_workproducttypevalues); },
  get "WorkProductIdentifoication"() { return z.optional(z.string()); },
};
export const S_workproduct: z.ZodMiniType = z.lazy(() => z.looseObject(F_workproduct));
export const F_task: Record<string, z.ZodMiniType> = {
  get "Task"() { return z.optional(z.string()); },
};
export const S_task: z.ZodMiniType = z.lazy(() => z.looseObject(F_task));
export const F_Development: Record<string, z.ZodMiniType> = {
  get "RelationshipDevelopmentTask"() { return z.optional(S_customerrelationshipdevelopment); },
  get "CustomerDevelopmentTaskType"() { return z.optional(S_text); },
  get "CustomerDevelopmentTaskDescription"() { return z.optional(S_text); },
  get "CustomerRelationshipDevelopmentPlan"() { return z.optional(S_customerrelationshipdevelopment); },
  get "EmployeeBusinessUnitReference"() { return z.optional(S_involvedparty); },
  get "CustomerDevelopmentWorkProduct"() { return z.optional(S_workproduct); },
  get "CustomerDevelopmentTaskResult"() { return z.optional(S_task); },
};
export const S_Development: z.ZodMiniType = z.lazy(() => z.looseObject(F_Development));
export const F_customerincident: Record<string, z.ZodMiniType> = {
  get "CustomerIncidentType"() { return z.optional(S_text); },
  get "CustomerIncidentSource"() { return z.optional(z.string()); },
  get "CustomerIncidentDescription"() { return z.optional(z.string()); },
  get "CustomerIncidentResolution"() { return z.optional(z.string()); },
};
export const S_customerincident: z.ZodMiniType = z.lazy(() => z.looseObject(F_customerincident));
export const S_transactiondatetypevalues = z.lazy(() => z.enum(["TransactionExecutedDate","TransactionFulfillmentDate","TransactionInitiatedDate","TransactionCancelledDate","TransactionApprovedDate"]));
export const F_transactiondate: Record<string, z.ZodMiniType> = {
  get "TransactionDate"() { return z.optional(S_datetime); },
  get "TransactionDateType"() { return z.optional(S_transactiondatetypevalues); },
};
export const S_transactiondate: z.ZodMiniType = z.lazy(() => z.looseObject(F_transactiondate));
export const S_transactiontypevalues = z.lazy(() => z.enum(["FinancialTransaction","BusinessTransaction","BankingTransaction","AccountingTransaction","BookingTransaction","AllocationTransaction","DeliveryTransaction","ProductionTransaction"]));
export const S_transactionstatustypevalues = z.lazy(() => z.enum(["Initiated","Executed","Cancelled","Confirmed","Suspended","Pending","Completed","Notified","Booked","Rejected"]));
export const F_transactionlifecyclestatus: Record<string, z.ZodMiniType> = {
  get "TransactionLifecycleStatus"() { return z.optional(S_status); },
  get "TransactionLifecycleStatusType"() { return z.optional(S_transactionstatustypevalues); },
};
export const S_transactionlifecyclestatus: z.ZodMiniType = z.lazy(() => z.looseObject(F_transactionlifecyclestatus));
export const F_transaction: Record<string, z.ZodMiniType> = {
  get "TransactionIdentification"() { return z.optional(S_identifier); },
  get "TransactionDate"() { return z.optional(S_transactiondate); },
  get "TransactionType"() { return z.optional(S_transactiontypevalues); },
  get "TransactionDescription"() { return z.optional(S_text); },
  get "TransactionStatus"() { return z.optional(S_transactionlifecyclestatus); },
  get "TransactionName"() { return z.optional(S_name); },
};
export const S_transaction: z.ZodMiniType = z.lazy(() => z.looseObject(F_transaction));
export const F_customercaseresolution: Record<string, z.ZodMiniType> = {
  get "CustomerCaseResolution"() { return z.optional(z.string()); },
};
export const S_customercaseresolution: z.ZodMiniType = z.lazy(() => z.looseObject(F_customercaseresolution));
export const F_Incident: Record<string, z.ZodMiniType> = {
  get "RelationshipIncidentRecord"() { return z.optional(S_customerincident); },
  get "EmployeeBusinessUnitReference"() { return z.optional(S_involvedparty); },
  get "ProductandServiceActivityReference"() { return z.optional(S_transaction); },
  get "CustomerIncidentType"() { return z.optional(S_text); },
  get "CustomerIncidentDescription"() { return z.optional(S_text); },
  get "CustomerIncidentResolution"() { return z.optional(S_customercaseresolution); },
};
export const S_Incident: z.ZodMiniType = z.lazy(() => z.looseObject(F_Incident));
export const S_customerratingtypevalues = z.lazy(() => z.enum(["Customerprofitability","Customercreditrating"]));
export const F_customerrating: Record<string, z.ZodMiniType> = {
  get "CustomerRatingType"() { return z.optional(S_customerratingtypevalues); },
  get "CustomerRatingValue"() { return z.optional(S_value); },
  get "CustomerRatingDescription"() { return z.optional(S_text); },
  get "CustomerRatingValueDate"() { return z.optional(S_datetime); },
  get "CustomerRatingValidityPeriod"() { return z.optional(S_datetimeperiod); },
};
export const S_customerrating: z.ZodMiniType = z.lazy(() => z.looseObject(F_customerrating));
export const F_customerrelationshipbudget: Record<string, z.ZodMiniType> = {
  get "CustomerRelationshipBudget"() { return z.optional(z.string()); },
};
export const S_customerrelationshipbudget: z.ZodMiniType = z.lazy(() => z.looseObject(F_customerrelationshipbudget));
export const F_customerproductcoverage: Record<string, z.ZodMiniType> = {
  get "CustomerProductCoverage"() { return z.optional(z.string()); },
};
export const S_customerproductcoverage: z.ZodMiniType = z.lazy(() => z.looseObject(F_customerproductcoverage));
export const F_yesnoindicator: Record<string, z.ZodMiniType> = {
  get "Yesnoindicator"() { return z.optional(z.string()); },
};
export const S_yesnoindicator: z.ZodMiniType = z.lazy(() => z.looseObject(F_yesnoindicator));
export const F_productusage: Record<string, z.ZodMiniType> = {
  get "ProductUsageDateTime"() { return z.optional(S_datetime); },
  get "ProductUsageVolume"() { return z.optional(S_text); },
  get "ProductUsageIndicator"() { return z.optional(S_yesnoindicator); },
};
export const S_productusage: z.ZodMiniType = z.lazy(() => z.looseObject(F_productusage));
export const F_customerproducteligibilityprofileclass: Record<string, z.ZodMiniType> = {
  get "CustomerProductEligibilityProfileClass"() { return z.optional(z.string()); },
};
export const S_customerproducteligibilityprofileclass: z.ZodMiniType = z.lazy(() => z.looseObject(F_customerproducteligibilityprofileclass));
export const F_goal: Record<string, z.ZodMiniType> = {
  get "GoalType"() { return z.optional(z.string()); },
  get "GoalDefinition"() { return z.optional(z.string()); },
  get "GoalOrganisation"() { return z.optional(z.string()); },
  get "GoalResult"() { return z.optional(z.string()); },
};
export const S_goal: z.ZodMiniType = z.lazy(() => z.looseObject(F_goal));
export const S_budgettypevalues = z.lazy(() => z.enum(["OperatingBudget","FinancialBudget","ResourceBudget"]));
export const F_budgettype: Record<string, z.ZodMiniType> = {
  get "BudgetTypeName"() { return z.optional(S_name); },
  get "BudgetType"() { return z.optional(S_budgettypevalues); },
};
export const S_budgettype: z.ZodMiniType = z.lazy(() => z.looseObject(F_budgettype));
export const F_currencycode: Record<string, z.ZodMiniType> = {
  get "Currencycode"() { return z.optional(z.string()); },
};
export const S_currencycode: z.ZodMiniType = z.lazy(() => z.looseObject(F_currencycode));
export const S_amounttypevalues = z.lazy(() => z.enum(["Principal","Actual","Estimated","Maximum","Default","Replacement","Incremental","Decremental","Reserved","Available","Used"]));
export const F_amount: Record<string, z.ZodMiniType> = {
  get "AmountValue"() { return z.optional(S_value); },
  get "AmountCurrency"() { return z.optional(S_currencycode); },
  get "DecimalPointPosition"() { return z.optional(z.string()); },
  get "AmountType"() { return z.optional(S_amounttypevalues); },
};
export const S_amount: z.ZodMiniType = z.lazy(() => z.looseObject(F_amount));
export const F_budgetarrangement: Record<string, z.ZodMiniType> = {
  get "BudgetType"() { return z.optional(S_budgettype); },
  get "BudgetAmount"() { return z.optional(S_amount); },
};
export const S_budgetarrangement: z.ZodMiniType = z.lazy(() => z.looseObject(F_budgetarrangement));
export const F_plannedaction: Record<string, z.ZodMiniType> = {
  get "PlannedAction"() { return z.optional(z.string()); },
};
export const S_plannedaction: z.ZodMiniType = z.lazy(() => z.looseObject(F_plannedaction));
export const S_plantypevalues = z.lazy(() => z.enum(["AdministrativePlan","ManagementPlan","StratgyPlan","FinancialPlan"]));
export const F_plantype: Record<string, z.ZodMiniType> = {
  get "PlanTypeName"() { return z.optional(S_name); },
  get "PlanType"() { return z.optional(S_plantypevalues); },
};
export const S_plantype: z.ZodMiniType = z.lazy(() => z.looseObject(F_plantype));
export const F_plan: Record<string, z.ZodMiniType> = {
  get "PlanGoal"() { return z.optional(S_goal); },
  get "PlanBudget"() { return z.optional(S_budgetarrangement); },
  get "PlannedAction"() { return z.optional(S_plannedaction); },
  get "PlanType"() { return z.optional(S_plantype); },
  get "PlanOrganisation"() { return z.optional(z.string()); },
  get "PlanValidityPeriod"() { return z.optional(S_datetimeperiod); },
  get "PlanDescription"() { return z.optional(S_text); },
};
export const S_plan: z.ZodMiniType = z.lazy(() => z.looseObject(F_plan));
export const F_customerprofitability: Record<string, z.ZodMiniType> = {
  get "CustomerProfitability"() { return z.optional(z.string()); },
};
export const S_customerprofitability: z.ZodMiniType = z.lazy(() => z.looseObject(F_customerprofitability));
export const F_CustomerRelationshipManagementPlan: Record<string, z.ZodMiniType> = {
  get "CustomerReference"() { return z.optional(S_involvedparty); },
  get "EmployeeBusinessUnitReference"() { return z.optional(S_involvedparty); },
  get "CustomerRelationshipRatingType"() { return z.optional(S_customerratingtypevalues); },
  get "CustomerRelationshipRating"() { return z.optional(S_customerrating); },
  get "CustomerInsightType"() { return z.optional(S_text); },
  get "CustomerInsightDescription"() { return z.optional(S_text); },
  get "CustomerBudget"() { return z.optional(S_customerrelationshipbudget); },
  get "CustomerProductCoverage"() { return z.optional(S_customerproductcoverage); },
  get "CustomerProductUsage"() { return z.optional(S_productusage); },
  get "CustomerProductEligibilityProfile"() { return z.optional(S_customerproducteligibilityprofileclass); },
  get "CustomerSalesPlan"() { return z.optional(S_plan); },
  get "CustomerProfitability"() { return z.optional(S_customerprofitability); },
};
export const S_CustomerRelationshipManagementPlan: z.ZodMiniType = z.lazy(() => z.looseObject(F_CustomerRelationshipManagementPlan));
