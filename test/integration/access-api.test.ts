/**
 * The access API (issue 25) against DynamoDB Local through the real handlers: teams in a hierarchy,
 * the tenant's roles beside the built-in ones, users' teams and roles, the settings, and the
 * caller's own decision — each change with its event in the same transaction, and every refusal
 * naming what is wrong and changing nothing.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.ACCESS_CACHE_SECONDS = '0';
});

import { db, tableName } from '../../functions/storage/table/db.ts';
import { keys } from '../../functions/storage/table/keys.ts';
import { uniqueTenant } from '../../lib/local/direct-call.ts';
import { recordRequests } from '../../lib/local/request-recorder.ts';
import { send } from '../support/send.ts';

const eventsOf = async (tenant: string): Promise<string[]> => {
  const page = await db.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':pk': keys.access(tenant), ':e': 'EVENT#' },
    }),
  );
  return (page.Items ?? []).map((item) => String(item.detailType));
};

const admin = (tenant: string) => ({ sub: 'root', tenant });

describe('the access API', () => {
  it('creates, reads, lists, replaces and removes teams, each change with its event', async () => {
    const tenant = uniqueTenant();
    const created = await send('putTeam', { ...admin(tenant), params: { teamId: 'north' }, body: { name: 'North', roles: ['manager'] } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.headers.location).toContain('/api/v1/access/teams/north');
    expect(created.body).toMatchObject({ id: 'north', name: 'North', roles: ['manager'], version: 1 });
    expect((await send('putTeam', { ...admin(tenant), params: { teamId: 'b12' }, body: { name: 'Branch 12', parentId: 'north' } })).status).toBe(201);
    const same = await send('putTeam', { ...admin(tenant), params: { teamId: 'north' }, body: { name: 'North', roles: ['manager'] } });
    expect(same.status).toBe(200);
    expect(same.body.version).toBe(1);
    const renamed = await send('putTeam', {
      ...admin(tenant),
      params: { teamId: 'north' },
      body: { name: 'North region', roles: ['manager'] },
      headers: { 'if-match': '"1"' },
    });
    expect(renamed.body.version).toBe(2);
    const stale = await send('putTeam', { ...admin(tenant), params: { teamId: 'north' }, body: { name: 'X' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    expect((await send('getTeam', { ...admin(tenant), params: { teamId: 'b12' } })).body).toMatchObject({ parentId: 'north' });
    const page = await send('listTeams', { ...admin(tenant), query: { limit: '1' } });
    expect(page.body.map((t: { id: string }) => t.id)).toEqual(['b12']);
    const rest = await send('listTeams', { ...admin(tenant), query: { cursor: page.headers['x-next-cursor']! } });
    expect(rest.body.map((t: { id: string }) => t.id)).toEqual(['north']);
    const refused = await send('deleteTeam', { ...admin(tenant), params: { teamId: 'north' } });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain("'b12'");
    expect((await send('deleteTeam', { ...admin(tenant), params: { teamId: 'b12' } })).status).toBe(204);
    expect((await send('getTeam', { ...admin(tenant), params: { teamId: 'b12' } })).status).toBe(404);
    expect((await eventsOf(tenant)).sort()).toEqual(['TeamCreated', 'TeamCreated', 'TeamDeleted', 'TeamUpdated']);
  });

  it('refuses a parent that does not exist, a team under itself and one too deep, naming the problem and writing nothing', async () => {
    const tenant = uniqueTenant();
    const orphan = await send('putTeam', { ...admin(tenant), params: { teamId: 'a' }, body: { name: 'A', parentId: 'nowhere' } });
    expect(orphan.status).toBe(400);
    expect(orphan.body.detail).toContain("'nowhere'");
    for (let i = 0; i < 8; i++)
      expect(
        (await send('putTeam', { ...admin(tenant), params: { teamId: `t${i}` }, body: { name: `T${i}`, ...(i > 0 ? { parentId: `t${i - 1}` } : {}) } })).status,
      ).toBe(201);
    const loop = await send('putTeam', { ...admin(tenant), params: { teamId: 't0' }, body: { name: 'T0', parentId: 't3' } });
    expect(loop.status).toBe(400);
    expect(loop.body.detail).toContain('under itself');
    const deep = await send('putTeam', { ...admin(tenant), params: { teamId: 't8' }, body: { name: 'T8', parentId: 't7' } });
    expect(deep.status).toBe(400);
    expect(deep.body.detail).toContain('levels deep');
    const role = await send('putTeam', { ...admin(tenant), params: { teamId: 'x' }, body: { name: 'X', roles: ['no-such-role'] } });
    expect(role.status).toBe(400);
    const requests = await recordRequests(() => send('putTeam', { ...admin(tenant), params: { teamId: 'y' }, body: { name: 'Y', parentId: 'nowhere' } }));
    expect(requests.filter((r) => r.write && !r.key.includes('#USER#'))).toEqual([]);
  });

  it('keeps built-in roles as they are, and the tenant’s own roles beside them', async () => {
    const tenant = uniqueTenant();
    expect((await send('putRole', { ...admin(tenant), params: { roleName: 'rep' }, body: { read: 'tenant', write: 'tenant' } })).status).toBe(409);
    expect((await send('putRole', { ...admin(tenant), params: { roleName: 'Bad Name' }, body: { read: 'team', write: 'none' } })).status).toBe(400);
    const teller = await send('putRole', {
      ...admin(tenant),
      params: { roleName: 'teller' },
      body: { read: 'team', write: 'team', fields: { identifiers: 'hidden', sensitive: 'read' } },
    });
    expect(teller.status, JSON.stringify(teller.body)).toBe(201);
    const roles = await send('listRoles', { ...admin(tenant), query: {} });
    expect(roles.body.map((r: { name: string; builtIn: boolean }) => `${r.name}:${r.builtIn}`)).toEqual([
      'admin:true',
      'manager:true',
      'rep:true',
      'support:true',
      'auditor:true',
      'teller:false',
    ]);
    expect((await send('getRole', { ...admin(tenant), params: { roleName: 'support' } })).body).toMatchObject({ builtIn: true, read: 'tenant', write: 'none' });
    await send('putTeam', { ...admin(tenant), params: { teamId: 'desk' }, body: { name: 'Desk', roles: ['teller'] } });
    expect((await send('deleteRole', { ...admin(tenant), params: { roleName: 'teller' } })).status).toBe(409);
    expect((await send('deleteRole', { ...admin(tenant), params: { roleName: 'admin' } })).status).toBe(409);
    await send('putTeam', { ...admin(tenant), params: { teamId: 'desk' }, body: { name: 'Desk', roles: [] } });
    expect((await send('deleteRole', { ...admin(tenant), params: { roleName: 'teller' } })).status).toBe(204);
    expect(await eventsOf(tenant)).toEqual(expect.arrayContaining(['RoleCreated', 'RoleDeleted']));
  });

  it('gives users teams and roles, and each caller sees their own decision', async () => {
    const tenant = uniqueTenant();
    await send('putTeam', { ...admin(tenant), params: { teamId: 'desk' }, body: { name: 'Desk' } });
    const unknown = await send('putUser', { ...admin(tenant), params: { userId: 'ann' }, body: { teams: ['desk', 'ghost'], roles: ['rep', 'nobody'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toMatch(/'ghost'|'nobody'/);
    const ann = await send('putUser', { ...admin(tenant), params: { userId: 'ann' }, body: { teams: ['desk'], roles: ['rep'] } });
    expect(ann.status).toBe(201);
    const me = await send('getMyAccess', { claims: { sub: 'ann', tenant, scope: 'rapport/read' }, decide: true });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      user: 'ann',
      roles: ['rep'],
      teams: ['desk'],
      read: { tenant: false, teams: ['desk'] },
      fields: { identifiers: 'hidden' },
    });
    expect((await send('listUsers', { ...admin(tenant), query: {} })).body.map((u: { id: string }) => u.id)).toEqual(['ann']);
    expect((await send('deleteUser', { ...admin(tenant), params: { userId: 'ann' } })).status).toBe(204);
    const after = await send('getMyAccess', { claims: { sub: 'ann', tenant, scope: 'rapport/read' }, decide: true });
    expect(after.body.roles).toEqual(['admin']);
    expect(await eventsOf(tenant)).toEqual(expect.arrayContaining(['UserAccessChanged', 'UserAccessRemoved']));
  });

  it('sets the default role and the rate limits, which the authorizer hands on', async () => {
    const tenant = uniqueTenant();
    expect((await send('getAccessSettings', admin(tenant))).body).toEqual({ defaultRole: 'admin', rateLimits: { tenantPerSecond: 2000, userPerSecond: 200 } });
    const tooMuch = await send('putAccessSettings', {
      ...admin(tenant),
      body: { defaultRole: 'support', rateLimits: { tenantPerSecond: 10, userPerSecond: 20 } },
    });
    expect(tooMuch.status).toBe(400);
    const set = await send('putAccessSettings', {
      ...admin(tenant),
      body: { defaultRole: 'support', rateLimits: { tenantPerSecond: 500, userPerSecond: 50 } },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(201);
    const me = await send('getMyAccess', { claims: { sub: 'stranger', tenant, scope: 'rapport/read' }, decide: true });
    expect(me.body.roles).toEqual(['support']);
    expect(await eventsOf(tenant)).toContain('AccessSettingsChanged');
  });

  it('needs the admin scope to change access; the read scope reads only the caller’s own decision', async () => {
    const tenant = uniqueTenant();
    const readWrite = { claims: { sub: 'u', tenant, scope: 'rapport/read rapport/write' } };
    expect((await send('putTeam', { ...readWrite, params: { teamId: 'x' }, body: { name: 'X' } })).status).toBe(403);
    expect((await send('listTeams', { ...readWrite, query: {} })).status).toBe(403);
    expect((await send('getMyAccess', readWrite)).status).toBe(200);
  });
});
