/**
 * The catalog of published event types: source, detail-type and the schema of `detail`. The JSON
 * Schemas in `schemas/events/` are generated from it (`npm run event-schemas`), and a test fails
 * when the checked-in files drift from it.
 */
import * as z from 'zod/mini';
import type { ZodMiniType } from 'zod/mini';
import { Customer } from './tmf629/schemas.ts';
import { TMF_EVENT_TYPES, TMF_SOURCE } from './events/tmf-customer-events.ts';
import { CRM_EVENT_TYPES } from './crm/crm-events.ts';
import { CRM_SOURCE } from './crm/customer-view.ts';
import { Activity, CrmCustomer, Opportunity } from './crm/schemas.ts';
import { BIAN_CRM_SOURCE, KINDS, recordView, type Kind } from './bian-crm/records.ts';
import { CASE_SOURCE, caseView, type CaseKind } from './bian-casemgmt/case-records.ts';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_SOURCE, WebhookView } from './events/webhook-events.ts';
import { FIELD_EVENT_TYPES, FIELD_SOURCE, FieldView } from './events/field-events.ts';
import { ACCESS_EVENT_TYPES, ACCESS_SOURCE } from './events/access-events.ts';
import { IMPORT_EVENT_TYPES, IMPORT_SOURCE } from './events/import-events.ts';
import { EXPORT_EVENT_TYPES } from './events/export-events.ts';
import { ExportSummary, ImportJobView } from './imports/schemas.ts';
import { RoleView, SettingsView, TeamView, UserView } from './access/schemas.ts';

/** The envelope every event carries as `detail` (see domain/event-envelope.ts). */
export const envelopeOf = (eventType: string, subjectType: string, data: ZodMiniType) =>
  z.object({
    eventId: z.string(),
    eventTime: z.iso.datetime({ offset: true }),
    eventType: z.literal(eventType),
    tenantId: z.string(),
    subject: z.object({ type: z.literal(subjectType), id: z.string() }),
    sequence: z.int().check(z.minimum(1)),
    actor: z.string(),
    correlationId: z.string(),
    data,
  });

export interface EventType {
  source: string;
  detailType: string;
  description: string;
  detail: ZodMiniType;
}

const TMF_DESCRIPTIONS: Record<(typeof TMF_EVENT_TYPES)[number], string> = {
  CustomerCreateEvent: 'A customer was created (TMF629).',
  CustomerAttributeValueChangeEvent: 'Attributes of a customer changed (TMF629); data carries the whole customer after the change.',
  CustomerStateChangeEvent: 'The status of a customer changed (TMF629).',
  CustomerDeleteEvent: 'A customer was deleted (TMF629); data carries its last state.',
};

const IMPORT_DESCRIPTIONS: Record<(typeof IMPORT_EVENT_TYPES)[number], string> = {
  ImportStarted: 'An import job began its rows: the file was read and split; data.import.counts.read is how many rows it holds.',
  ImportProgress: 'An import job is running: its counts so far, rows a second and estimated end (at most one every 10 seconds a job).',
  ImportCompleted: 'An import job ended with every line accounted for (read = created + updated + unchanged + failed + skipped).',
  ImportFailed: 'An import job failed: data.import.failure says why (a file it could not read, lines not accounted for).',
  ImportCancelled: 'An import job was cancelled before it ended; rows already written stay.',
};

const EXPORT_DESCRIPTIONS: Record<(typeof EXPORT_EVENT_TYPES)[number], string> = {
  ExportStarted: 'An export job began reading (data.export.transactionTime: what it holds is the tenant as of then or later).',
  ExportCompleted: 'An export job ended with every part written: data.export.count customers; GET /api/v1/exports/{id} answers its manifest.',
  ExportFailed: 'An export job failed: data.export.failure says why.',
};

const CRM_DESCRIPTIONS: Record<(typeof CRM_EVENT_TYPES)[number], string> = {
  CustomerCreated: 'A customer was created through the CRM API.',
  CustomerUpdated: 'Profile fields of a customer changed; data.changed names them.',
  CrmStatusChanged: 'The customer moved in the CRM pipeline; data.from and data.to.',
  OwnerAssigned: 'The customer was assigned to an owner; data.from and data.to.',
  OwnerRemoved: 'The customer lost its owner; data.from.',
  TagAdded: 'A tag was added; data.tag.',
  TagRemoved: 'A tag was removed; data.tag.',
  NextActionSet: 'The next action or its due date was set or cleared.',
  ActivityCreated: 'An activity was logged or planned.',
  ActivityUpdated: 'An activity changed.',
  ActivityCompleted: 'An activity was completed.',
  ActivityDeleted: 'An activity was deleted; data.activity is its last state.',
  OpportunityCreated: 'An opportunity was opened.',
  OpportunityUpdated: 'An opportunity changed.',
  OpportunityStatusChanged: 'An opportunity moved stage; data.from and data.to.',
  OpportunityDeleted: 'An opportunity was deleted; data.opportunity is its last state.',
  CustomerNextActionOverdue: "The customer's next action is overdue (the due sweep, once per due date); data carries the customer, its owner and what is due.",
  ActivityDue: 'An activity fell due (the due sweep, once per due date); data carries the activity, its customer, its owner and the due date.',
  CustomerDeleted: 'The customer was deleted; restorable until data.purgeAt, then everything it owned is purged. data.customer is its last state.',
  CustomerRestored: 'A deleted customer was restored with everything it owned; data.customer is its state.',
  CustomerErased: 'The customer was erased (GDPR article 17): erase every copy of its data. data holds no personal data: the id, when, and who asked.',
  CustomersMerged:
    'Duplicates were merged into this customer (the survivor): data.mergedIds name them; their activities, opportunities and timeline move to it, and they answer with a pointer to it.',
  CustomerUnmerged: 'A duplicate merged into this customer was taken out again (data.unmergedId): it is a customer of its own again, with what it owned.',
  CustomerShared:
    'The customer was shared with a user or team (data.grantee: user:<id> or team:<id>), to read or to read and write (data.access), or a share changed.',
  CustomerUnshared: 'A share of the customer was withdrawn (data.grantee).',
};

const FIELD_DESCRIPTIONS: Record<(typeof FIELD_EVENT_TYPES)[number], string> = {
  FieldCreated: 'A custom field was defined; data.field. In force on every instance within 5 s.',
  FieldUpdated: 'A custom field changed (label, constraints, options, a safe type change); data.field after, data.before before.',
  FieldArchived: 'A custom field was archived: its values are hidden from every view and refused in writes, and kept; data.field, data.before.',
  FieldRestored: 'An archived custom field was restored: its stored values are shown again; data.field, data.before.',
};

const ACCESS_DESCRIPTIONS: Record<(typeof ACCESS_EVENT_TYPES)[number], { text: string; subject: string; kind: string; view: () => ZodMiniType }> = {
  TeamCreated: { text: 'A team was created; data.team. In force within 4 s.', subject: 'Team', kind: 'team', view: () => TeamView },
  TeamUpdated: {
    text: 'A team changed (name, the team above it, its roles); data.team after, data.before before.',
    subject: 'Team',
    kind: 'team',
    view: () => TeamView,
  },
  TeamDeleted: { text: 'A team was removed; data.team as it was.', subject: 'Team', kind: 'team', view: () => TeamView },
  RoleCreated: { text: "One of the tenant's roles was created; data.role.", subject: 'Role', kind: 'role', view: () => RoleView },
  RoleUpdated: { text: "One of the tenant's roles changed; data.role after, data.before before.", subject: 'Role', kind: 'role', view: () => RoleView },
  RoleDeleted: { text: "One of the tenant's roles was removed; data.role as it was.", subject: 'Role', kind: 'role', view: () => RoleView },
  UserAccessChanged: {
    text: "A user's teams or roles were given or changed; data.user, and data.before on a change.",
    subject: 'User',
    kind: 'user',
    view: () => UserView,
  },
  UserAccessRemoved: { text: "A user's teams and roles were taken away; data.user as it was.", subject: 'User', kind: 'user', view: () => UserView },
  AccessSettingsChanged: {
    text: "The tenant's default role or rate limits changed; data.settings, and data.before on a change.",
    subject: 'AccessSettings',
    kind: 'settings',
    view: () => SettingsView,
  },
};

const WEBHOOK_DESCRIPTIONS: Record<(typeof WEBHOOK_EVENT_TYPES)[number], string> = {
  WebhookCreated: 'A webhook subscription was created; data.webhook (never its secret).',
  WebhookUpdated: 'A webhook subscription changed (URL, event types, description, enabled).',
  WebhookSecretRotated: "A webhook's signing secret was rotated; data.webhook.previousSecretExpiresAt says until when the previous one signs too.",
  WebhookDeleted: 'A webhook subscription was deleted; its queued deliveries stop.',
  WebhookDisabled:
    'Rapport disabled a webhook: its receiver answered 410 Gone, or every delivery failed for a day (data.reason). Deliveries stop until it is enabled again.',
};

const Owner = z.nullable(z.object({ id: z.string(), username: z.optional(z.string()), displayName: z.optional(z.string()) }));

const crmData = (detailType: (typeof CRM_EVENT_TYPES)[number]) => {
  if (detailType === 'CustomerNextActionOverdue') {
    return {
      subject: 'Customer',
      data: z.object({ customer: CrmCustomer, owner: Owner, due: z.object({ nextAction: z.nullable(z.string()), nextActionDueDate: z.string() }) }),
    };
  }
  if (detailType === 'ActivityDue') {
    return {
      subject: 'Activity',
      data: z.object({ activity: Activity, customer: z.looseObject({ id: z.string() }), owner: Owner, due: z.object({ dueDate: z.string() }) }),
    };
  }
  if (detailType === 'CustomerErased') {
    return { subject: 'Customer', data: z.strictObject({ customerId: z.string(), erasedAt: z.iso.datetime({ offset: true }), erasedBy: z.string() }) };
  }
  if (detailType.startsWith('Activity')) return { subject: 'Activity', data: z.looseObject({ activity: Activity }) };
  if (detailType.startsWith('Opportunity')) {
    const extra = detailType === 'OpportunityStatusChanged' ? { from: z.string(), to: z.string() } : {};
    return { subject: 'Opportunity', data: z.looseObject({ opportunity: Opportunity, ...extra }) };
  }
  const extra =
    detailType === 'CrmStatusChanged'
      ? { from: z.string(), to: z.string() }
      : detailType === 'TagAdded' || detailType === 'TagRemoved'
        ? { tag: z.string() }
        : detailType === 'CustomerUpdated'
          ? { changed: z.array(z.string()) }
          : detailType === 'CustomerDeleted'
            ? { deletedAt: z.iso.datetime({ offset: true }), purgeAt: z.iso.datetime({ offset: true }) }
            : detailType === 'CustomersMerged'
              ? { survivorId: z.string(), mergedIds: z.array(z.string()) }
              : detailType === 'CustomerUnmerged'
                ? { survivorId: z.string(), unmergedId: z.string() }
                : detailType === 'CustomerShared'
                  ? { grantee: z.string(), access: z.enum(['read', 'write']) }
                  : detailType === 'CustomerUnshared'
                    ? { grantee: z.string() }
                    : {};
  return { subject: 'Customer', data: z.looseObject({ customer: CrmCustomer, ...extra }) };
};

export const eventTypes: readonly EventType[] = [
  ...TMF_EVENT_TYPES.map((detailType) => ({
    source: TMF_SOURCE,
    detailType,
    description: TMF_DESCRIPTIONS[detailType],
    detail: envelopeOf(
      detailType,
      'Customer',
      z.object({
        customer: Customer,
        // What of the stored customer v4 does not show as stored (v3's type, v5's role, description, partyRoleSpecification; items v4 cannot hold): the hub shows v3 and v5 listeners the customer from both.
        notInV4: z.optional(z.record(z.string(), z.unknown())),
      }),
    ),
  })),
  ...CRM_EVENT_TYPES.map((detailType) => {
    const { subject, data } = crmData(detailType);
    return { source: CRM_SOURCE, detailType, description: CRM_DESCRIPTIONS[detailType], detail: envelopeOf(detailType, subject, data) };
  }),
  // BIAN CRM, after BIAN's AsyncAPI channels: <record>/Created and <record>/Updated, with the action term and resulting status.
  ...(Object.keys(KINDS) as Kind[]).flatMap((kind) =>
    (['Created', 'Updated'] as const).map((what) => ({
      source: BIAN_CRM_SOURCE,
      detailType: `${kind}/${what}`,
      description: `A BIAN ${kind} was ${what.toLowerCase()}; data.action is the BIAN action term (Create, Update, Control, Exchange, Request, Grant, Capture) and data.status the resulting lifecycle status.`,
      detail: envelopeOf(`${kind}/${what}`, kind, z.object({ action: z.string(), status: z.nullable(z.string()), record: recordView(kind) })),
    })),
  ),
  ...(['CustomerCaseManagementPlan', 'Rules', 'Performance'] as CaseKind[]).flatMap((kind) =>
    (['Created', 'Updated'] as const).map((what) => ({
      source: CASE_SOURCE,
      detailType: `${kind}/${what}`,
      description: `A BIAN case management ${kind} was ${what.toLowerCase()}; data.action is the BIAN action term (Create, Update, Request).`,
      detail: envelopeOf(`${kind}/${what}`, kind, z.object({ action: z.string(), record: caseView(kind) })),
    })),
  ),
  ...FIELD_EVENT_TYPES.map((detailType) => ({
    source: FIELD_SOURCE,
    detailType,
    description: FIELD_DESCRIPTIONS[detailType],
    detail: envelopeOf(detailType, 'Field', z.object({ field: FieldView, before: z.optional(FieldView) })),
  })),
  ...ACCESS_EVENT_TYPES.map((detailType) => {
    const { text, subject, kind, view } = ACCESS_DESCRIPTIONS[detailType];
    return {
      source: ACCESS_SOURCE,
      detailType,
      description: text,
      detail: envelopeOf(detailType, subject, z.object({ [kind]: view(), before: z.optional(view()) })),
    };
  }),
  ...IMPORT_EVENT_TYPES.map((detailType) => ({
    source: IMPORT_SOURCE,
    detailType,
    description: IMPORT_DESCRIPTIONS[detailType],
    detail: envelopeOf(detailType, 'Import', z.object({ import: ImportJobView })),
  })),
  ...EXPORT_EVENT_TYPES.map((detailType) => ({
    source: IMPORT_SOURCE,
    detailType,
    description: EXPORT_DESCRIPTIONS[detailType],
    detail: envelopeOf(detailType, 'Export', z.object({ export: ExportSummary })),
  })),
  ...WEBHOOK_EVENT_TYPES.map((detailType) => ({
    source: WEBHOOK_SOURCE,
    detailType,
    description: WEBHOOK_DESCRIPTIONS[detailType],
    detail: envelopeOf(detailType, 'Webhook', z.object({ webhook: WebhookView, reason: z.optional(z.string()) })),
  })),
  {
    source: CASE_SOURCE,
    detailType: 'IncidentResolutionOverdue',
    description: "A BIAN CRM incident is still open past its priority's resolution target (the due sweep, once per incident and target).",
    detail: envelopeOf(
      'IncidentResolutionOverdue',
      'Incident',
      z.object({
        IncidentReference: z.string(),
        CustomerRelationshipManagementPlanReference: z.string(),
        IncidentPriority: z.string(),
        created: z.string(),
        resolutionDueAt: z.string(),
        record: z.record(z.string(), z.unknown()),
      }),
    ),
  },
];
