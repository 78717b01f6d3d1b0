/**
 * An import's events through the local runtime (issue 27, "Events that do not flood"): by default a
 * job emits its summary only — its rows' own events are kept in the table and the feed, reach
 * neither the bus nor the webhooks, and still bring the search projection to what was imported;
 * with `recordEvents` each row's events reach the bus and the webhooks, through the import relay
 * (batches of 10, 2 at once).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, http, startListener, token, type Listener } from '../support/http.ts';

const listeners: Listener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((l) => l.close()));
});

type BusEvent = { source: string; 'detail-type': string; detail: { tenantId: string; correlationId: string; subject: { type: string; id: string } } };

const busEventsOf = async (tenant: string): Promise<BusEvent[]> =>
  ((await http('GET', '/_local/events', { token: null })).body as BusEvent[]).filter((e) => e.detail.tenantId === tenant);

/** Imports `csv` (customers by e-mail) as the tenant; the job once it ended. */
const runImport = async (auth: Promise<string>, csv: string, extra: Record<string, unknown> = {}) => {
  const created = await http('POST', '/api/v1/imports', {
    token: auth,
    body: { object: 'customers', mode: 'upsert', matchKey: 'email', format: 'csv', bytes: Buffer.byteLength(csv), ...extra },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const put = await fetch(created.body.upload.parts[0].url, { method: 'PUT', body: csv });
  expect(put.status).toBe(200);
  const started = await http('POST', `/api/v1/imports/${created.body.id}/start`, {
    token: auth,
    body: { parts: [{ partNumber: 1, etag: put.headers.get('etag') }] },
  });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return eventually(
    'the import to end',
    async () => {
      const job = (await http('GET', `/api/v1/imports/${created.body.id}`, { token: auth })).body;
      return ['completed', 'failed', 'cancelled'].includes(job.status) ? job : undefined;
    },
    60_000,
  );
};

describe('an import’s events', () => {
  it('by default: the job’s summary on the bus and to the webhooks, its rows’ events only in the feed — and the imported customers searchable', async () => {
    const tenant = `import-quiet-${Date.now()}`;
    const auth = token({ tenant });
    const receiver = await startListener((_req, res) => res.writeHead(204).end());
    listeners.push(receiver);
    expect((await http('POST', '/api/v1/webhooks', { token: auth, body: { url: receiver.url, eventTypes: ['*'] } })).status).toBe(201);
    const live = await http('POST', '/api/v1/crm/customers', { token: auth, body: { name: 'Live Quietus', type: 'PERSON' } });
    expect(live.status).toBe(201);

    const csv = 'name,email,type\nQuietus One,one@quiet.example,PERSON\nQuietus Two,two@quiet.example,PERSON\nQuietus Three,three@quiet.example,PERSON\n';
    const job = await runImport(auth, csv);
    expect(job).toMatchObject({ status: 'completed', recordEvents: false, counts: { read: 3, created: 3 } });
    await http('POST', '/_local/idle', { token: null });

    const onBus = await busEventsOf(tenant);
    const fromRows = onBus.filter((e) => e.detail.correlationId === `import-${job.id}` && e.source !== 'rapport.imports');
    expect(fromRows).toEqual([]);
    expect(onBus.filter((e) => e.source === 'rapport.imports').map((e) => e['detail-type'])).toEqual(
      expect.arrayContaining(['ImportStarted', 'ImportCompleted']),
    );
    // The live create's events went on the bus as always.
    expect(onBus.some((e) => e.detail.subject.id === live.body.id && e['detail-type'] === 'CustomerCreated')).toBe(true);
    // The webhook: the live change and the job's summary, none of the rows'.
    const delivered = await eventually('the summary delivered', async () => {
      const types = receiver.received.map((r) => String(r.body.eventType));
      return types.includes('ImportCompleted') && types.includes('CustomerCreated') ? receiver.received : undefined;
    });
    expect(delivered.filter((r) => r.body.correlationId === `import-${job.id}` && !String(r.body.eventType).startsWith('Import'))).toEqual([]);
    expect(delivered.filter((r) => r.body.eventType === 'CustomerCreated').map((r) => r.body.subject.id)).toEqual([live.body.id]);

    // The rows' events are in the table's feed all the same …
    await eventually('the rows’ events in the feed', async () => {
      const page = (await http('GET', '/api/v1/events?limit=100&types=CustomerCreated', { token: auth })).body.events as { correlationId: string }[];
      return page.filter((e) => e.correlationId === `import-${job.id}`).length === 3 ? page : undefined;
    });
    // … and the relay brought the search projection to the imported customers.
    const found = await eventually('the imported customers searchable', async () => {
      const page = await http('POST', '/api/v1/crm/customers/search', { token: auth, body: { filter: { field: 'name', op: 'startsWith', value: 'Quietus' } } });
      return page.body.results?.length === 3 ? page.body.results : undefined;
    });
    expect(found.map((c: { name: string }) => c.name).sort()).toEqual(['Quietus One', 'Quietus Three', 'Quietus Two']);
  }, 120_000);

  it('with recordEvents: each row’s events on the bus and to the webhooks, through the relay', async () => {
    const tenant = `import-loud-${Date.now()}`;
    const auth = token({ tenant });
    const receiver = await startListener((_req, res) => res.writeHead(204).end());
    listeners.push(receiver);
    expect((await http('POST', '/api/v1/webhooks', { token: auth, body: { url: receiver.url, eventTypes: ['CustomerCreated'] } })).status).toBe(201);

    const rows = Array.from({ length: 25 }, (_, i) => `Loud ${i},loud${i}@loud.example,PERSON`);
    const job = await runImport(auth, `name,email,type\n${rows.join('\n')}\n`, { recordEvents: true });
    expect(job).toMatchObject({ status: 'completed', recordEvents: true, counts: { read: 25, created: 25 } });
    await http('POST', '/_local/idle', { token: null });

    const fromRows = (await busEventsOf(tenant)).filter((e) => e.detail.correlationId === `import-${job.id}` && e.source !== 'rapport.imports');
    const created = fromRows.filter((e) => e['detail-type'] === 'CustomerCreated');
    expect(new Set(created.map((e) => e.detail.subject.id)).size).toBe(25);
    // The TMF event of each row too (the bus carries every family's event of a change).
    expect(fromRows.filter((e) => e['detail-type'] === 'CustomerCreateEvent')).toHaveLength(25);
    const delivered = await eventually('every row’s event delivered', async () =>
      receiver.received.filter((r) => r.body.eventType === 'CustomerCreated').length >= 25 ? receiver.received : undefined,
    );
    expect(new Set(delivered.map((r) => r.body.subject.id)).size).toBe(25);
    expect(delivered.every((r) => r.body.correlationId === `import-${job.id}`)).toBe(true);
  }, 120_000);
});
