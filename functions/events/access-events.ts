import { newEvent, type PendingEvent } from '../domain/event-envelope.ts';

/**
 * The events of a tenant's access model (`rapport.access`, issue 25): every change of a team, a
 * role, a user's teams and roles, or the settings (default role, rate limits) is one, published,
 * in the feed and deliverable like any other.
 */
export const ACCESS_SOURCE = 'rapport.access';

export const ACCESS_EVENT_TYPES = [
  'TeamCreated',
  'TeamUpdated',
  'TeamDeleted',
  'RoleCreated',
  'RoleUpdated',
  'RoleDeleted',
  'UserAccessChanged',
  'UserAccessRemoved',
  'AccessSettingsChanged',
] as const;
export type AccessEventType = (typeof ACCESS_EVENT_TYPES)[number];

/** The subject of each kind of entry. */
export const ACCESS_SUBJECTS = { team: 'Team', role: 'Role', user: 'User', settings: 'AccessSettings' } as const;

export const accessEvent = (input: {
  eventType: AccessEventType;
  tenantId: string;
  subject: { type: (typeof ACCESS_SUBJECTS)[keyof typeof ACCESS_SUBJECTS]; id: string };
  sequence: number;
  actor: string;
  correlationId: string;
  data: Record<string, unknown>;
  description: string;
}): PendingEvent => newEvent({ source: ACCESS_SOURCE, ...input });
