/**
 * CRM customer API schemas: owners, crmStatus pipeline, tags, next action, activities,
 * opportunities (README, "CRM customer API"). zod/mini keeps bundles small; each schema is built
 * when first used (`z.lazy`), so a function's cold start builds only its own operation's, not the
 * family's (ARCHITECTURE.md, "Cold start").
 */
import * as z from 'zod/mini';
import { CRM_STATUSES } from '../domain/crm-status.ts';
import { optionalShape, patchShape } from '../http/validation.ts';
import { OPPORTUNITY_STATUSES } from '../domain/opportunity-status.ts';

const dateTime = z.lazy(() => z.iso.datetime({ offset: true }));
const text = (max = 1000) => z.string().check(z.maxLength(max));
const nonEmpty = (max = 1000) => z.string().check(z.minLength(1), z.maxLength(max));
const nullable = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema));

export const CrmStatus = z.lazy(() => z.enum(CRM_STATUSES));
export const PartyType = z.lazy(() => z.enum(['PERSON', 'ORGANIZATION']));

export const Address = z.lazy(() =>
  z.strictObject({
    id: z.optional(text(100)),
    street: z.optional(text(200)),
    houseNumber: z.optional(text(50)),
    postalCode: z.optional(text(50)),
    city: z.optional(text(200)),
    country: z.optional(text(100)),
    latitude: z.optional(z.number().check(z.gte(-90), z.lte(90))),
    longitude: z.optional(z.number().check(z.gte(-180), z.lte(180))),
  }),
);

export const Contact = z.lazy(() =>
  z.strictObject({
    id: z.optional(text(100)),
    firstName: z.optional(text(200)),
    lastName: z.optional(text(200)),
    email: z.optional(text(320)),
    phone: z.optional(text(50)),
    department: z.optional(text(200)),
  }),
);

export const Avatar = z.lazy(() =>
  z.strictObject({
    blobId: z.optional(text(200)),
    thumbnailBlobId: z.optional(text(200)),
    width: z.optional(z.int().check(z.gte(0))),
    height: z.optional(z.int().check(z.gte(0))),
  }),
);

export const Visit = z.lazy(() => z.strictObject({ ip: z.optional(text(64)), time: z.optional(dateTime), frequency: z.optional(z.int().check(z.gte(0))) }));

/** Profile fields: what POST and PATCH may set. */
const profile = () => ({
  name: nonEmpty(500),
  type: PartyType,
  email: z.email(),
  phone: text(50),
  billingAddress: Address,
  deliveryAddresses: z.array(Address).check(z.maxLength(50)),
  contacts: z.array(Contact).check(z.maxLength(200)),
  avatar: Avatar,
  btw: text(50),
  kvk: text(50),
  industry: text(200),
  leadSource: text(200),
  preferredLanguage: text(20),
  region: text(200),
  subsidiaryId: text(100),
  userId: text(200),
  visits: z.array(Visit).check(z.maxLength(1000)),
  website: text(2000),
  /** The team the customer belongs to (issue 25): who reaches it through their team. */
  teamId: nonEmpty(63),
  /** The id the system the customer came from knows it by (issue 27): unique in the tenant, an import's match key. */
  externalId: nonEmpty(255),
});

/** A write's custom values by field key (README, "Custom fields"): each checked against the tenant's field; `null` clears one in a PATCH. */
export const CustomValues = z.lazy(() => z.record(z.string().check(z.maxLength(63)), z.unknown()));

/** A customer holds at most this many tags (a string set in its item: bounded, so the item stays far under 400 KB). */
export const MAX_TAGS = 100;

export const Tag = z.lazy(() => z.string().check(z.minLength(1), z.maxLength(100), z.regex(/^[^\s,]+$/, 'no spaces or commas')));

export const CrmCustomerCreate = z.lazy(() => {
  const fields = profile();
  return z.strictObject({
    ...optionalShape(fields),
    name: fields.name,
    type: fields.type,
    crmStatus: z.optional(CrmStatus),
    ownerId: z.optional(nonEmpty(200)),
    tags: z.optional(z.array(Tag).check(z.maxLength(MAX_TAGS))),
    nextAction: z.optional(nonEmpty(1000)),
    nextActionDueDate: z.optional(dateTime),
    customFields: z.optional(CustomValues),
  }) as z.ZodMiniType<CrmCustomerInput>;
});

/** PATCH: profile fields only (status, owner, tags and next action have their own operations); null clears. */
export const CrmCustomerUpdate = z.lazy(
  () =>
    z.strictObject({
      ...patchShape(profile(), ['name', 'type']),
      customFields: z.optional(CustomValues),
    }) as z.ZodMiniType<Record<string, unknown>>,
);

export interface CrmCustomerInput {
  name: string;
  type: 'PERSON' | 'ORGANIZATION';
  email?: string;
  phone?: string;
  billingAddress?: z.infer<typeof Address>;
  deliveryAddresses?: z.infer<typeof Address>[];
  crmStatus?: z.infer<typeof CrmStatus>;
  ownerId?: string;
  tags?: string[];
  nextAction?: string;
  nextActionDueDate?: string;
  customFields?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A share of a customer (issue 25): with `user:<id>` or `team:<id>`, to read or to read and write. */
export const ShareChange = z.lazy(() => z.strictObject({ access: z.enum(['read', 'write']) }));
export const ShareView = z.lazy(() => z.object({ grantee: z.string(), access: z.enum(['read', 'write']) }));

export const CrmStatusChange = z.lazy(() => z.strictObject({ crmStatus: CrmStatus }));
export const NextActionChange = z.lazy(() => z.strictObject({ nextAction: nullable(nonEmpty(1000)), nextActionDueDate: nullable(dateTime) }));

export const ActivityType = z.lazy(() => z.enum(['CALL', 'MEETING', 'EMAIL', 'TASK', 'NOTE']));
export const Priority = z.lazy(() => z.enum(['LOW', 'MEDIUM', 'HIGH']));
/** An activity's or opportunity's id in the system it came from: unique among its customer's of its kind, set when it is created (what an import matches it by). */
const ChildExternalId = z.lazy(() => nonEmpty(255));
const activityFields = () => ({
  subject: nonEmpty(500),
  description: text(10000),
  dueDate: dateTime,
  scheduledAt: dateTime,
  durationMinutes: z.int().check(z.gte(0), z.lte(60 * 24 * 30)),
  location: text(500),
  attendees: z.array(text(320)).check(z.maxLength(200)),
  priority: Priority,
  ownerId: nonEmpty(200),
  outcome: text(5000),
  contactName: text(200),
  contactEmail: text(320),
  contactPhone: text(50),
  opportunityId: nonEmpty(100),
});
export const ActivityCreate = z.lazy(() => {
  const fields = activityFields();
  return z.strictObject({
    type: ActivityType,
    ...optionalShape(fields),
    subject: fields.subject,
    externalId: z.optional(ChildExternalId),
  }) as z.ZodMiniType<{ type: string; subject: string; dueDate?: string; [key: string]: unknown }>;
});
export const ActivityUpdate = z.lazy(
  () =>
    z.strictObject({
      type: z.optional(ActivityType),
      ...patchShape(activityFields(), ['subject']),
    }) as z.ZodMiniType<Record<string, unknown>>,
);
export const ActivityCompletion = z.lazy(() => z.strictObject({ outcome: z.optional(text(5000)) }));

export const OpportunityStatus = z.lazy(() => z.enum(OPPORTUNITY_STATUSES));
const ChangeOrder = z.lazy(() =>
  z.strictObject({
    id: z.optional(text(100)),
    amount: z.number(),
    category: z.optional(text(200)),
    date: z.optional(dateTime),
    description: z.optional(text(2000)),
  }),
);
const PaymentTerm = z.lazy(() =>
  z.strictObject({
    id: z.optional(text(100)),
    label: z.optional(text(200)),
    percentage: z.number().check(z.gte(0), z.lte(100)),
    paymentDueDays: z.optional(z.int().check(z.gte(0))),
    relativeDays: z.optional(z.int()),
    includeChangeOrders: z.optional(z.boolean()),
    triggerType: z.optional(z.enum(['STATUS_CHANGE', 'DATE'])),
    triggerStatus: z.optional(OpportunityStatus),
    status: z.optional(z.enum(['PENDING', 'INVOICED', 'PAID'])),
  }),
);
const opportunityFields = () => ({
  name: nonEmpty(500),
  description: text(10000),
  value: z.number().check(z.gte(0)),
  probability: z.int().check(z.gte(0), z.lte(100)),
  expectedCloseDate: dateTime,
  productIds: z.array(text(100)).check(z.maxLength(500)),
  paymentSchedule: z.array(PaymentTerm).check(z.maxLength(50)),
  changeOrders: z.array(ChangeOrder).check(z.maxLength(500)),
  ownerId: nonEmpty(200),
  nextAction: nonEmpty(1000),
  nextActionDueDate: dateTime,
  source: text(200),
  notes: text(10000),
  tags: z.array(Tag).check(z.maxLength(100)),
});
export const OpportunityCreate = z.lazy(() => {
  const fields = opportunityFields();
  return z.strictObject({
    ...optionalShape(fields),
    name: fields.name,
    status: z.optional(OpportunityStatus),
    externalId: z.optional(ChildExternalId),
  }) as z.ZodMiniType<{ name: string; status?: string; [key: string]: unknown }>;
});
export const OpportunityUpdate = z.lazy(
  () =>
    z.strictObject({
      ...patchShape(opportunityFields(), ['name']),
      status: z.optional(OpportunityStatus),
    }) as z.ZodMiniType<Record<string, unknown>>,
);

/** The seed's error body. */
export const CrmError = z.lazy(() => z.object({ title: z.string(), detail: z.string(), time: z.string() }));

const TimelineEntry = z.lazy(() => z.object({ id: z.string(), type: z.string(), date: z.string(), authorId: z.string(), description: z.string() }));
const crmCustomerShape = () => ({
  // The profile as a create or a change left it (typed for readers: the OpenAPI document, the client).
  ...optionalShape(profile()),
  ownerId: z.optional(z.string()),
  nextAction: z.optional(z.string()),
  nextActionDueDate: z.optional(z.string()),
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  type: z.optional(PartyType),
  /** Unique in the tenant: the id the system the customer came from knows it by. */
  externalId: z.optional(z.string()),
  crmStatus: CrmStatus,
  tags: z.array(z.string()),
  /** The values of the tenant's active custom fields (GET /api/v1/fields/customer/schema describes them). */
  customFields: z.record(z.string(), z.unknown()),
  /** Values holding an option since retired, by field. */
  customFieldsRetired: z.optional(z.record(z.string(), z.array(z.string()))),
  created: z.string(),
  createdBy: z.string(),
  updated: z.string(),
  updatedBy: z.string(),
  events: z.optional(z.array(TimelineEntry)),
});
export const CrmCustomer = z.lazy(() => z.looseObject(crmCustomerShape()));
export const Activity = z.lazy(() =>
  z.looseObject({ id: z.string(), customerId: z.string(), type: ActivityType, subject: z.string(), completed: z.boolean() }),
);
export const Opportunity = z.lazy(() => z.looseObject({ id: z.string(), customerId: z.string(), name: z.string(), status: OpportunityStatus }));
export const EnrichedCustomer = z.lazy(() =>
  z.looseObject({
    ...crmCustomerShape(),
    owner: z.optional(z.object({ id: z.string(), username: z.optional(z.string()), displayName: z.optional(z.string()) })),
    recentActivities: z.array(Activity),
    opportunities: z.array(Opportunity),
  }),
);

/** What an erasure leaves and how far it got. */
export const ErasureReceipt = z.lazy(() =>
  z.object({
    id: z.string(),
    erasedAt: z.string(),
    erasedBy: z.string(),
    erasureCompletedAt: z.optional(z.string()),
    status: z.enum(['erased', 'erasing']),
  }),
);

/** One part of a customer's export; the first carries the profile, `next` the cursor of the following part. */
export const CustomerExport = z.lazy(() =>
  z.object({
    customerId: z.string(),
    exportedAt: z.string(),
    customer: z.optional(z.object({ crm: CrmCustomer, tmf629: z.record(z.string(), z.unknown()) })),
    activities: z.array(Activity),
    opportunities: z.array(Opportunity),
    /** BIAN CRM plans linked to the customer, as stored: their reference, status, BIAN fields and action records. */
    linkedPlans: z.array(z.record(z.string(), z.unknown())),
    events: z.array(z.record(z.string(), z.unknown())),
    next: z.optional(z.string()),
  }),
);

/** A likely duplicate: the customer and the match keys it shares (`email`, `phone`, `name`). */
export const Duplicate = z.lazy(() => z.object({ customer: CrmCustomer, reasons: z.array(z.enum(['email', 'phone', 'name'])) }));

/** A merge: the duplicates (1 to 5, none the survivor) that go into the customer of the path. */
export const MergeRequest = z.lazy(() =>
  z.strictObject({
    duplicateIds: z.array(z.string().check(z.minLength(1), z.maxLength(128))).check(z.minLength(1), z.maxLength(5)),
  }),
);

/** An unmerge: the duplicate to take out of the customer of the path. */
export const UnmergeRequest = z.lazy(() => z.strictObject({ duplicateId: z.string().check(z.minLength(1), z.maxLength(128)) }));

/** A predicate or a group of them: the filter of a search (README, "Search"); its fields, operators and values are checked by the query model (domain/search-model.ts). */
const SearchFilter: z.ZodMiniType = z.lazy(() =>
  z.union([
    z.strictObject({ and: z.array(SearchFilter) }),
    z.strictObject({ or: z.array(SearchFilter) }),
    z.strictObject({ not: SearchFilter }),
    z.strictObject({ field: z.string(), op: z.string(), value: z.optional(z.unknown()) }),
  ]),
);

/** A search of customers: filter, sort (≤ 3 keys), fields, limit (≤ 200), cursor, count (`none` or `exact`), facets (≤ 5 fields), q (full text), consistency (`strong`: from DynamoDB, for the queries its indexes answer). */
export const SearchRequest = z.lazy(() =>
  z.strictObject({
    filter: z.optional(SearchFilter),
    sort: z.optional(
      z
        .array(z.strictObject({ field: z.string(), order: z.optional(z.enum(['asc', 'desc'])), nulls: z.optional(z.enum(['first', 'last'])) }))
        .check(z.maxLength(3)),
    ),
    fields: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.maxLength(100))),
    limit: z.optional(z.int().check(z.minimum(1), z.maximum(200))),
    cursor: z.optional(z.string().check(z.maxLength(8192))),
    count: z.optional(z.enum(['none', 'exact'])),
    facets: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.maxLength(5))),
    q: z.optional(z.string().check(z.maxLength(256))),
    consistency: z.optional(z.enum(['eventual', 'strong'])),
  }),
);

/** A page of a search: the customers (as the CRM shows them, or the `fields` asked for), the count and facets when asked, the cursor of the next page. */
export const SearchResult = z.lazy(() =>
  z.object({
    results: z.array(z.record(z.string(), z.unknown())),
    count: z.optional(z.object({ value: z.int(), relation: z.enum(['eq', 'gte']) })),
    facets: z.optional(z.record(z.string(), z.array(z.object({ value: z.string(), count: z.int() })))),
    next: z.optional(z.string()),
    /** Present when the answer came from DynamoDB (`consistency: strong`). */
    consistency: z.optional(z.literal('strong')),
  }),
);
