import * as z from 'zod/mini';
import { FIELD_ACCESS, FIELD_GROUPS, RECORD_SCOPES } from '../domain/access.ts';

/** The access API's schemas (README, "Who may see what"); built on first use. */

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
/** A team's or user's id, a role's name, in a path and as a reference: at most 63 letters, digits and _ . : @ - (no '#'). */
export const ENTRY_ID = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,62}$/;
export const EntryId = z.lazy(() => z.string().check(z.regex(ENTRY_ID, 'at most 63 letters, digits and _ . : @ -, starting with a letter or digit')));
const Scope = z.lazy(() => z.enum(RECORD_SCOPES));
const FieldRules = z.lazy(() => z.strictObject(Object.fromEntries(FIELD_GROUPS.map((group) => [group, z.optional(z.enum(FIELD_ACCESS))]))));

export const TeamBody = z.lazy(() =>
  z.strictObject({ name: text(200), parentId: z.optional(z.nullable(EntryId)), roles: z.optional(z.array(EntryId).check(z.maxLength(10))) }),
);
export const RoleBody = z.lazy(() => z.strictObject({ description: z.optional(text(500)), read: Scope, write: Scope, fields: z.optional(FieldRules) }));
export const UserBody = z.lazy(() => z.strictObject({ teams: z.array(EntryId).check(z.maxLength(20)), roles: z.array(EntryId).check(z.maxLength(10)) }));
export const SettingsBody = z.lazy(() =>
  z.strictObject({
    defaultRole: EntryId,
    rateLimits: z.strictObject({ tenantPerSecond: z.int().check(z.gte(1), z.lte(100_000)), userPerSecond: z.int().check(z.gte(1), z.lte(100_000)) }),
  }),
);

const bookkeeping = { version: z.optional(z.number()), created: z.optional(z.string()), updated: z.optional(z.string()), updatedBy: z.optional(z.string()) };
export const TeamView = z.lazy(() =>
  z.object({ id: z.string(), name: z.string(), parentId: z.optional(z.string()), roles: z.array(z.string()), ...bookkeeping }),
);
export const RoleView = z.lazy(() =>
  z.object({
    name: z.string(),
    /** A built-in role (every tenant's, unchangeable); absent in events, which are of the tenant's own. */
    builtIn: z.optional(z.boolean()),
    description: z.optional(z.string()),
    read: Scope,
    write: Scope,
    fields: z.record(z.string(), z.enum(FIELD_ACCESS)),
    ...bookkeeping,
  }),
);
export const UserView = z.lazy(() => z.object({ id: z.string(), teams: z.array(z.string()), roles: z.array(z.string()), ...bookkeeping }));
export const SettingsView = z.lazy(() =>
  z.object({ defaultRole: z.string(), rateLimits: z.object({ tenantPerSecond: z.number(), userPerSecond: z.number() }), ...bookkeeping }),
);
const Reach = z.object({ tenant: z.boolean(), own: z.boolean(), teams: z.array(z.string()), shared: z.boolean() });
export const MyAccess = z.lazy(() =>
  z.object({
    user: z.string(),
    roles: z.array(z.string()),
    teams: z.array(z.string()),
    grantees: z.array(z.string()),
    read: Reach,
    write: Reach,
    fields: z.record(z.string(), z.enum(FIELD_ACCESS)),
    rateLimits: z.optional(z.object({ tenantPerSecond: z.number(), userPerSecond: z.number() })),
  }),
);
export const AccessError = z.lazy(() => z.object({ title: z.string(), detail: z.string(), time: z.string() }));
