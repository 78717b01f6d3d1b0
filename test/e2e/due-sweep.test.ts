import { describe, expect, it } from 'vitest';
import { http, token } from '../support/http.ts';

const CRM = '/api/v1/crm/customers';

describe('the due sweep through the local runtime', () => {
  it('runs on POST /_local/schedules/due-sweep and puts CustomerNextActionOverdue and ActivityDue on the bus, once', async () => {
    const tenant = `sweep-${Date.now()}`;
    const auth = token({ tenant, sub: 'rep-1' });
    const { body: c } = await http('POST', CRM, {
      token: auth,
      body: { name: 'Due BV', type: 'ORGANIZATION', nextAction: 'Call back', nextActionDueDate: '2025-06-01T08:00:00Z' },
    });
    const { body: a } = await http('POST', `${CRM}/${c.id}/activities`, {
      token: auth,
      body: { type: 'CALL', subject: 'Follow up', dueDate: '2025-06-02T08:00:00Z' },
    });
    await http('POST', `${CRM}/${c.id}/activities`, { token: auth, body: { type: 'TASK', subject: 'Not yet', dueDate: '2999-01-01T00:00:00Z' } });

    const first = await http('POST', '/_local/schedules/due-sweep', { token: null });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ flagged: expect.any(Number), left: 0, stoppedEarly: false });
    await http('POST', '/_local/schedules/due-sweep', { token: null });
    const events = (
      (await http('GET', '/_local/events', { token: null })).body as {
        source: string;
        'detail-type': string;
        detail: { tenantId: string; subject: { id: string } };
      }[]
    ).filter((e) => e.detail.tenantId === tenant && (e['detail-type'] === 'CustomerNextActionOverdue' || e['detail-type'] === 'ActivityDue'));
    expect(events.map((e) => [e.source, e['detail-type'], e.detail.subject.id]).sort()).toEqual([
      ['rapport.crm', 'ActivityDue', a.id],
      ['rapport.crm', 'CustomerNextActionOverdue', c.id],
    ]);
    const enriched = await http('GET', `${CRM}/${c.id}`, { token: auth });
    expect(enriched.body.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['NEXT_ACTION_OVERDUE', 'ACTIVITY_DUE']));
    expect(enriched.body.recentActivities.find((x: { id: string }) => x.id === a.id).dueNotifiedAt).toEqual(expect.any(String));
    expect((await http('GET', `${CRM}/overdue-actions`, { token: auth })).body.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect((await http('POST', '/_local/schedules/nothing', { token: null })).status).toBe(404);
  });
});
