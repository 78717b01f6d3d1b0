import * as z from 'zod/mini';
import type { ZodMiniType } from 'zod/mini';
import { limitParameter, type Operation, type ResponseSpec } from '../http/operation.ts';
import { AccessError, MyAccess, RoleBody, RoleView, SettingsBody, SettingsView, TeamBody, TeamView, UserBody, UserView } from './schemas.ts';

const json = 'application/json';
/** Where a tenant's access model lives. */
export const ACCESS_PATH = '/api/v1/access';
const error = (description: string): ResponseSpec => ({ description, schema: AccessError });
const common = { 400: error('Bad Request'), 401: error('Unauthorized'), 403: error('Forbidden'), 404: error('Not Found') };
const one = (description: string, schema: ZodMiniType) => ({ 200: { description, schema, headers: { ETag: 'string' } }, ...common });
const put = (description: string, schema: ZodMiniType) => ({
  ...one(description, schema),
  201: { description: `${description}, created`, schema, headers: { ETag: 'string', Location: 'string' } },
  409: error('Conflict'),
  412: error('Precondition Failed'),
  422: error('The tenant holds the most it may'),
});
const removed = { 204: { description: 'Removed' }, ...common, 409: error('Conflict'), 412: error('Precondition Failed') };
const page = (description: string, schema: ZodMiniType) => ({
  responses: () => ({ 200: { description, schema: z.array(schema), headers: { 'X-Next-Cursor': 'string' } }, ...common }),
  request: { query: z.strictObject({ limit: limitParameter(500, 100), cursor: z.optional(z.string()) }) },
});

/**
 * Who may see and change what (README, "Who may see what"): a tenant's teams, roles, users'
 * teams and roles, and settings. Changing them takes the admin scope; anyone may read their own
 * decision (`/me`).
 */
export const access = {
  listTeams: {
    name: 'listTeams',
    family: 'access',
    method: 'GET',
    path: `${ACCESS_PATH}/teams`,
    handler: 'functions/access/list-teams.ts',
    access: 'admin',
    summary: "The tenant's teams in id order (limit, cursor)",
    ...page('A page of teams', TeamView),
  },
  getTeam: {
    name: 'getTeam',
    family: 'access',
    method: 'GET',
    path: `${ACCESS_PATH}/teams/{teamId}`,
    handler: 'functions/access/get-team.ts',
    access: 'admin',
    summary: 'A team: its name, the team above it, the roles its members hold',
    responses: () => one('The team', TeamView),
  },
  putTeam: {
    name: 'putTeam',
    family: 'access',
    method: 'PUT',
    path: `${ACCESS_PATH}/teams/{teamId}`,
    handler: 'functions/access/put-team.ts',
    access: 'admin',
    summary: 'Creates or replaces a team (under another, or a top team); its roles are its members’ (If-Match honoured)',
    responses: () => put('The team', TeamView),
    request: { body: { [json]: TeamBody } },
  },
  deleteTeam: {
    name: 'deleteTeam',
    family: 'access',
    method: 'DELETE',
    path: `${ACCESS_PATH}/teams/{teamId}`,
    handler: 'functions/access/delete-team.ts',
    access: 'admin',
    summary: 'Removes a team without teams under it (409 otherwise); If-Match honoured',
    responses: () => removed,
  },
  listRoles: {
    name: 'listRoles',
    family: 'access',
    method: 'GET',
    path: `${ACCESS_PATH}/roles`,
    handler: 'functions/access/list-roles.ts',
    access: 'admin',
    summary: 'The built-in roles, then the tenant’s own in name order (limit, cursor over its own)',
    ...page('A page of roles', RoleView),
  },
  getRole: {
    name: 'getRole',
    family: 'access',
    method: 'GET',
    path: `${ACCESS_PATH}/roles/{roleName}`,
    handler: 'functions/access/get-role.ts',
    access: 'admin',
    summary: 'A role, built-in or the tenant’s own',
    responses: () => one('The role', RoleView),
  },
  putRole: {
    name: 'putRole',
    family: 'access',
    method: 'PUT',
    path: `${ACCESS_PATH}/roles/{roleName}`,
    handler: 'functions/access/put-role.ts',
    access: 'admin',
    summary: 'Creates or replaces one of the tenant’s roles: its reach for reading and writing, its access per field group (If-Match honoured)',
    responses: () => put('The role', RoleView),
    request: { body: { [json]: RoleBody } },
  },
  deleteRole: {
    name: 'deleteRole',
    family: 'access',
    method: 'DELETE',
    path: `${ACCESS_PATH}/roles/{roleName}`,
    handler: 'functions/access/delete-role.ts',
    access: 'admin',
    summary: 'Removes one of the tenant’s roles no team holds and the settings do not name (409 otherwise); users holding it lose it',
    responses: () => removed,
  },
  listUsers: {
    name: 'listUsers',
    family: 'access',
    method: 'GET',
    path: `${ACCESS_PATH}/users`,
    handler: 'functions/access/list-users.ts',
    access: 'admin',
    summary: 'The users given teams or roles, in id order (limit, cursor)',
    ...page('A page of users', UserView),
  },
  getUser: {
    name: 'getUser',
    family: 'access',
    method: 'GET',
    path: `${ACCESS_PATH}/users/{userId}`,
    handler: 'functions/access/get-user.ts',
    access: 'admin',
    summary: 'A user’s teams and roles (the token’s `sub`)',
    responses: () => one('The user', UserView),
  },
  putUser: {
    name: 'putUser',
    family: 'access',
    method: 'PUT',
    path: `${ACCESS_PATH}/users/{userId}`,
    handler: 'functions/access/put-user.ts',
    access: 'admin',
    summary: 'Gives a user their teams and roles (If-Match honoured)',
    responses: () => put('The user', UserView),
    request: { body: { [json]: UserBody } },
  },
  deleteUser: {
    name: 'deleteUser',
    family: 'access',
    method: 'DELETE',
    path: `${ACCESS_PATH}/users/{userId}`,
    handler: 'functions/access/delete-user.ts',
    access: 'admin',
    summary: 'Takes a user’s teams and roles away (they keep those of their groups, or the default role)',
    responses: () => removed,
  },
  getAccessSettings: {
    name: 'getAccessSettings',
    family: 'access',
    method: 'GET',
    path: `${ACCESS_PATH}/settings`,
    handler: 'functions/access/get-access-settings.ts',
    access: 'admin',
    summary: 'The tenant’s default role and rate limits',
    responses: () => one('The settings', SettingsView),
  },
  putAccessSettings: {
    name: 'putAccessSettings',
    family: 'access',
    method: 'PUT',
    path: `${ACCESS_PATH}/settings`,
    handler: 'functions/access/put-access-settings.ts',
    access: 'admin',
    summary: 'Sets the tenant’s default role and its rate limits per second for the tenant and for each user (If-Match honoured)',
    responses: () => put('The settings', SettingsView),
    request: { body: { [json]: SettingsBody } },
  },
  getMyAccess: {
    name: 'getMyAccess',
    family: 'access',
    method: 'GET',
    path: `${ACCESS_PATH}/me`,
    handler: 'functions/access/get-my-access.ts',
    access: 'read',
    summary: 'What the caller may see and change, as the authorizer decided it, and their rate limits',
    responses: () => ({ 200: { description: 'The decision', schema: MyAccess }, ...common }),
  },
} as const satisfies Record<string, Operation>;
