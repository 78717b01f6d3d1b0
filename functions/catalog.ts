/**
 * The operation catalog: every HTTP operation, event rule, stream consumer and schedule of Rapport.
 * The CDK stack, the local runtime, the OpenAPI document and the route tests all derive from it;
 * adding an operation means adding its handler file and an entry in its family's list.
 */
import type { Operation } from './http/operation.ts';
import { tmf629, tmf629v3, tmf629v5 } from './tmf629/operations.ts';
import { crm } from './crm/operations.ts';
import { bianCrm } from './bian-crm/operations.ts';
import { bianCaseMgmt } from './bian-casemgmt/operations.ts';
import { webhooks } from './webhooks/operations.ts';
import { fields } from './fields/operations.ts';
import { access } from './access/operations.ts';
import { imports } from './imports/operations.ts';

export const operations: readonly Operation[] = [
  ...Object.values(tmf629),
  ...Object.values(tmf629v3),
  ...Object.values(tmf629v5),
  ...Object.values(crm),
  ...Object.values(bianCrm),
  ...Object.values(bianCaseMgmt),
  ...Object.values(webhooks),
  ...Object.values(fields),
  ...Object.values(access),
  ...Object.values(imports),
];

/** An EventBridge rule on the Rapport bus and the function it invokes. */
export interface EventRule {
  name: string;
  description: string;
  pattern: { source: string[]; 'detail-type'?: string[] };
  handler: string;
  /** It writes the search projection: its function reaches the search database (lib/search-database.ts). */
  search?: true;
}

export const eventRules: readonly EventRule[] = [
  {
    name: 'tmf629Notifier',
    description: 'Delivers TMF629 Customer events to the tenant’s hub listeners',
    pattern: { source: ['rapport.tmf629'] },
    handler: 'functions/tmf629/notify-listeners.ts',
  },
  {
    name: 'projectCustomers',
    description: 'Keeps the customers’ search projection (PostgreSQL) to what the table holds',
    pattern: { source: ['rapport.crm', 'rapport.tmf629'] },
    handler: 'functions/search/project-customers.ts',
    search: true,
  },
];

/** The table stream's consumer: carries event items to the bus. */
export const streamPublisher = { name: 'publishEvents', handler: 'functions/events/publish-events.ts' } as const;

/** The table stream's second consumer: queues a delivery of each event item for each webhook that takes it. */
export const webhookDispatcher = { name: 'dispatchWebhooks', handler: 'functions/webhooks/dispatch-webhooks.ts' } as const;

/** The delivery queue's consumer: makes each delivery attempt, logs it, and queues the next on the retry schedule. */
export const webhookWorker = { name: 'deliverWebhooks', handler: 'functions/webhooks/deliver-webhooks.ts' } as const;

/**
 * The import relay queue's consumer: an import's rows' events, a few at a time — to the bus and the
 * webhooks when the job asked for them, else to the search projection only.
 */
export const importRelay = { name: 'relayImportEvents', handler: 'functions/imports/relay-import-events.ts' } as const;

/** A function EventBridge Scheduler runs on a rate; locally also on `POST /_local/schedules/<name>`. */
export interface Schedule {
  name: string;
  description: string;
  handler: string;
  /** Minutes between runs. */
  everyMinutes: number;
}

export const schedules: readonly Schedule[] = [
  {
    name: 'due-sweep',
    description: 'Flags overdue next actions and due activities (CustomerNextActionOverdue, ActivityDue)',
    handler: 'functions/schedules/due-sweep.ts',
    // EventBridge Scheduler's finest rate: a next action listed within a minute of falling due (README, "Reminders: the due sweep").
    everyMinutes: 1,
  },
];

/**
 * The public reference: the OpenAPI document and the page that shows it, on routes with no
 * authorizer (functions/docs/serve-docs.ts). Its function reads only the files bundled beside it.
 */
export const docsRoute = { name: 'serveDocs', handler: 'functions/docs/serve-docs.ts', paths: ['/openapi.json', '/docs', '/docs/{file}'] } as const;

/**
 * The `$default` route: every request no operation's route matches (unknown path, wrong method,
 * trailing slash), answered in the family's error body.
 */
export const unmatchedRoute = { name: 'answerUnmatchedRoute', handler: 'functions/unmatched-route.ts' } as const;
