import { describe, expect, it, vi } from 'vitest';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { handler as sweep } from '../../functions/schedules/due-sweep.ts';
import { handler as createCustomer } from '../../functions/crm/create-customer.ts';
import { handler as setNextAction } from '../../functions/crm/set-next-action.ts';
import { handler as createActivity } from '../../functions/crm/create-activity.ts';
import { handler as updateActivity } from '../../functions/crm/update-activity.ts';
import { handler as completeActivity } from '../../functions/crm/complete-activity.ts';
import { handler as listOverdue } from '../../functions/crm/list-overdue-actions.ts';
import { crm } from '../../functions/crm/operations.ts';
import { handler as deleteTmfCustomer } from '../../functions/tmf629/delete-customer.ts';
import { tmf629 } from '../../functions/tmf629/operations.ts';
import { db, tableName } from '../../functions/storage/table/db.ts';
import { keys } from '../../functions/storage/table/keys.ts';
import { metrics } from '../../functions/observability.ts';
import { call, lambdaContext, uniqueTenant } from '../../lib/local/direct-call.ts';
import { eventSchemaErrors } from '../support/event-schema.ts';

/**
 * These tests live in 2018–2021: nothing else in the run is due that early, so their sweeps see
 * only their own items. Their due dates are written on 1 January 2018 (the clock set back for the
 * write alone), so they are in the future when written and fall due for the sweep: a date already
 * past when written is flagged by the write itself.
 */
const WRITTEN_AT = '2018-01-01T00:00:00Z';
const writtenAt = async <T>(when: string, write: () => Promise<T>): Promise<T> => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date(when) });
  try {
    return await write();
  } finally {
    vi.useRealTimers();
  }
};
const customerWithDue = (tenant: string, name: string, due?: string, when = WRITTEN_AT) =>
  writtenAt(when, async () => {
    const { body } = await call(createCustomer, crm.createCrmCustomer, {
      tenant,
      body: { name, type: 'ORGANIZATION', ownerId: 'ann', ...(due ? { nextAction: `Call ${name}`, nextActionDueDate: due } : {}) },
    });
    return body.id as string;
  });
const activityWithDue = (tenant: string, customerId: string, subject: string, due: string) =>
  writtenAt(
    WRITTEN_AT,
    async () =>
      (await call(createActivity, crm.createActivity, { tenant, params: { id: customerId }, body: { type: 'TASK', subject, dueDate: due } })).body.id as string,
  );
const nextActionOf = (tenant: string, id: string, body: Record<string, unknown>) =>
  writtenAt(WRITTEN_AT, () => call(setNextAction, crm.setNextAction, { tenant, params: { id }, body }));

const dueEvents = async (tenant: string, customerId: string) => {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':pk': keys.customer(tenant, customerId).pk, ':e': 'EVENT#' },
    }),
  );
  return Items.filter((i) => i.detailType === 'CustomerNextActionOverdue' || i.detailType === 'ActivityDue');
};
const run = (scheduledTime: string, remainingMs = 60_000) =>
  sweep({ scheduledTime }, { ...lambdaContext('due-sweep'), getRemainingTimeInMillis: () => remainingMs });

describe('the due sweep against DynamoDB Local', () => {
  it('flags what is due once, leaves what is not due, and reruns or overlapping runs flag nothing twice', async () => {
    const tenant = uniqueTenant();
    const a = await customerWithDue(tenant, 'A', '2019-01-10T09:00:00Z');
    const b = await customerWithDue(tenant, 'B', '2019-06-01T09:00:00+02:00');
    const later = await customerWithDue(tenant, 'Later', '2019-12-31T00:00:00Z');
    const task = await activityWithDue(tenant, a, 'Send offer', '2019-03-01T10:00:00Z');
    const done = await activityWithDue(tenant, a, 'Already done', '2019-03-02T10:00:00Z');
    await call(completeActivity, crm.completeActivity, { tenant, params: { id: a, activityId: done } });

    const metric = vi.spyOn(metrics, 'addMetric');
    const first = await run('2019-07-01T00:00:00Z');
    expect(first.flagged).toBeGreaterThanOrEqual(3);
    // The ItemsFlagged business metric counts what the run flagged.
    expect(metric.mock.calls.filter(([name]) => name === 'ItemsFlagged').map(([, , value]) => value)).toEqual([first.flagged]);
    metric.mockRestore();
    expect((await dueEvents(tenant, a)).map((e) => e.detailType).sort()).toEqual(['ActivityDue', 'CustomerNextActionOverdue']);
    expect((await dueEvents(tenant, b)).map((e) => e.detailType)).toEqual(['CustomerNextActionOverdue']);
    expect(await dueEvents(tenant, later)).toEqual([]);

    const overdue = (await dueEvents(tenant, a)).find((e) => e.detailType === 'CustomerNextActionOverdue')!;
    expect(overdue.detail).toMatchObject({
      tenantId: tenant,
      subject: { type: 'Customer', id: a },
      actor: 'system:due-sweep',
      data: { owner: { id: 'ann' }, due: { nextAction: 'Call A', nextActionDueDate: '2019-01-10T09:00:00Z' } },
    });
    const activityDue = (await dueEvents(tenant, a)).find((e) => e.detailType === 'ActivityDue')!;
    expect(activityDue.detail).toMatchObject({
      subject: { type: 'Activity', id: task },
      data: { activity: { id: task, dueNotifiedAt: '2019-07-01T00:00:00.000Z' }, customer: { id: a, name: 'A' } },
    });
    for (const event of [overdue, activityDue]) expect(eventSchemaErrors('rapport.crm', String(event.detailType), event.detail)).toEqual([]);

    await run('2019-07-01T00:00:00Z');
    await Promise.all([run('2019-08-01T00:00:00Z'), run('2019-08-01T00:00:00Z'), run('2019-08-01T00:00:00Z')]);
    expect(await dueEvents(tenant, a)).toHaveLength(2);
    expect(await dueEvents(tenant, b)).toHaveLength(1);

    const flaggedLater = await Promise.all([run('2020-01-01T00:00:00Z'), run('2020-01-01T00:00:00Z')]);
    expect(await dueEvents(tenant, later)).toHaveLength(1);
    expect(flaggedLater.map((r) => r.flagged).reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(1);
  });

  it('a new due date re-arms; completing an activity or clearing the next action disarms', async () => {
    const tenant = uniqueTenant();
    const c = await customerWithDue(tenant, 'Rearm', '2020-02-01T00:00:00Z');
    const moved = await activityWithDue(tenant, c, 'Moved', '2020-02-02T00:00:00Z');
    const completed = await activityWithDue(tenant, c, 'Completed', '2020-02-03T00:00:00Z');
    const cleared = await customerWithDue(tenant, 'Cleared', '2020-02-04T00:00:00Z');
    await run('2020-03-01T00:00:00Z');
    expect(await dueEvents(tenant, c)).toHaveLength(3);

    await nextActionOf(tenant, c, { nextActionDueDate: '2020-03-15T00:00:00Z' });
    await call(updateActivity, crm.updateActivity, { tenant, params: { id: c, activityId: moved }, body: { dueDate: '2020-03-20T00:00:00Z' } });
    await call(updateActivity, crm.updateActivity, { tenant, params: { id: c, activityId: completed }, body: { dueDate: '2020-03-21T00:00:00Z' } });
    await call(completeActivity, crm.completeActivity, { tenant, params: { id: c, activityId: completed } });
    await nextActionOf(tenant, cleared, { nextActionDueDate: '2020-03-22T00:00:00Z' });
    await nextActionOf(tenant, cleared, { nextAction: null, nextActionDueDate: null });

    await run('2020-04-01T00:00:00Z');
    const events = await dueEvents(tenant, c);
    expect(events.map((e) => [e.detailType, e.detail.data.due]).filter(([, due]) => JSON.stringify(due).includes('2020-03'))).toEqual(
      expect.arrayContaining([
        ['CustomerNextActionOverdue', { nextAction: 'Call Rearm', nextActionDueDate: '2020-03-15T00:00:00Z' }],
        ['ActivityDue', { dueDate: '2020-03-20T00:00:00Z' }],
      ]),
    );
    expect(events).toHaveLength(5);
    expect(await dueEvents(tenant, cleared)).toHaveLength(1);
  });

  it('takes a due activity of a deleted customer out of the index without an event', async () => {
    const tenant = uniqueTenant();
    const c = await customerWithDue(tenant, 'Gone');
    const task = await activityWithDue(tenant, c, 'Orphaned', '2020-05-01T00:00:00Z');
    expect((await call(deleteTmfCustomer, tmf629.deleteCustomer, { tenant, params: { id: c } })).status).toBe(204);
    const result = await run('2020-06-01T00:00:00Z');
    expect(result.disarmed).toBeGreaterThanOrEqual(1);
    expect(await dueEvents(tenant, c)).toEqual([]);
    const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: keys.child(tenant, c, 'ACTIVITY', task) }));
    expect(Item).toMatchObject({ dueDisarmedAt: '2020-06-01T00:00:00.000Z' });
    expect(Item).not.toHaveProperty('gsi6pk');
    expect((await run('2020-06-01T00:00:00Z')).disarmed).toBe(0);
  });

  it('stops before its time budget and leaves the rest to the next run', async () => {
    const tenant = uniqueTenant();
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await customerWithDue(tenant, `Bulk ${i}`, `2021-01-0${i + 1}T00:00:00Z`));
    const short = await run('2021-02-01T00:00:00Z', 0);
    expect(short.stoppedEarly).toBe(true);
    expect(short.left).toBeGreaterThan(0);
    const counts = await Promise.all(ids.map(async (id) => (await dueEvents(tenant, id)).length));
    expect(counts.reduce((x, y) => x + y, 0)).toBeLessThan(ids.length);
    await run('2021-02-01T00:00:00Z');
    expect(await Promise.all(ids.map(async (id) => (await dueEvents(tenant, id)).length))).toEqual(ids.map(() => 1));
  });

  it('lists a next action written with a date already past at once, with its overdue event in the same write, and the sweep never flags it again', async () => {
    const tenant = uniqueTenant();
    const listed = async () => ((await call(listOverdue, crm.listOverdueActions, { tenant, query: {} })).body as { id: string }[]).map((c) => c.id);
    // Written on 1 March 2018: a create and a change with dates already past, and a create due half an hour later.
    const march = '2018-03-01T00:00:00Z';
    const created = await customerWithDue(tenant, 'Created late', '2018-02-28T09:00:00Z', march);
    const changed = await customerWithDue(tenant, 'Changed late');
    const change = await writtenAt(march, () =>
      call(setNextAction, crm.setNextAction, { tenant, params: { id: changed }, body: { nextAction: 'Call back', nextActionDueDate: '2018-02-27T09:00:00Z' } }),
    );
    expect(change.status).toBe(200);
    const later = await customerWithDue(tenant, 'Due later', '2018-03-01T00:30:00Z', march);

    // Listed the moment they are written, earliest due first; the one not yet due is not.
    expect(await listed()).toEqual([changed, created]);
    for (const id of [created, changed]) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: keys.customer(tenant, id) }));
      expect(Item).not.toHaveProperty('duePk'); // in the overdue list, not the due index: the sweep has nothing left to flag
      const events = await dueEvents(tenant, id);
      expect(events).toHaveLength(1);
      expect(events[0]!.detail).toMatchObject({
        actor: 'user-1',
        data: { owner: { id: 'ann' }, due: { nextActionDueDate: id === created ? '2018-02-28T09:00:00Z' : '2018-02-27T09:00:00Z' } },
      });
      expect(eventSchemaErrors('rapport.crm', 'CustomerNextActionOverdue', events[0]!.detail)).toEqual([]);
    }
    // The change's two events are one transaction's: the same correlation id, consecutive sequences.
    const { Items = [] } = await db.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
        ExpressionAttributeValues: { ':pk': keys.customer(tenant, changed).pk, ':e': 'EVENT#' },
      }),
    );
    const [set, overdue] = ['NextActionSet', 'CustomerNextActionOverdue'].map((type) => Items.find((i) => i.detailType === type)!.detail);
    expect(overdue.correlationId).toBe(set.correlationId);
    expect(overdue.sequence).toBe(set.sequence + 1);

    // The sweep flags the later one when it falls due, and neither of the others again.
    await run('2018-03-01T01:00:00Z');
    expect(await listed()).toEqual([changed, created, later]);
    expect((await Promise.all([created, changed, later].map((id) => dueEvents(tenant, id)))).map((e) => e.length)).toEqual([1, 1, 1]);
  });

  // Last in this file, and the only test anywhere due in 2021-03: its sweep flags everything earlier, which the tests above have done with.
  it('lists the overdue next actions the sweep flagged, earliest first across shards; a changed or cleared one leaves the list', async () => {
    const tenant = uniqueTenant();
    const overdue = async () => {
      const seen: Record<string, unknown>[] = [];
      let cursor: string | undefined;
      do {
        const page = await call(listOverdue, crm.listOverdueActions, { tenant, query: { limit: '5', ...(cursor ? { cursor } : {}) } });
        expect(page.status).toBe(200);
        seen.push(...(page.body as Record<string, unknown>[]));
        cursor = page.headers['x-next-cursor'];
      } while (cursor);
      return seen;
    };
    const due: string[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const when = i === 11 ? '2999-01-01T00:00:00.000Z' : new Date(Date.UTC(2021, 2, 1 + ((i * 5) % 12))).toISOString();
      ids.push(await customerWithDue(tenant, `Due ${i}`, when));
      if (i !== 11) due.push(when);
    }
    // Due, but not flagged yet: the list follows the sweep, as the overdue event does.
    expect(await overdue()).toEqual([]);
    await run('2021-06-01T00:00:00Z');
    expect((await overdue()).map((c) => c.nextActionDueDate)).toEqual(due.sort());
    // A flagged next action moved to a later date leaves the list (and is due again then); a cleared one leaves it.
    await nextActionOf(tenant, ids[0]!, { nextActionDueDate: '2999-02-01T00:00:00.000Z' });
    await nextActionOf(tenant, ids[1]!, { nextAction: null, nextActionDueDate: null });
    expect((await overdue()).map((c) => c.id).sort()).toEqual(ids.slice(2, 11).sort());
  });
});
