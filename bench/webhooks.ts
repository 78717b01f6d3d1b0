/**
 * Table 10: webhooks and the event feed through the local runtime (the real stream dispatcher,
 * delivery queue and worker, a receiver on loopback). Delivery latency (commit to receipt) of
 * webhooks side by side with the TMF629 hub's (the bus path) for the same changes; the DynamoDB
 * requests and capacity a delivery adds to a change (the same changes made with and without a
 * webhook, recorded in-process); and what reading the feed costs. Runs in a process of its own
 * (`runWebhooksInChild`), as the runtime configures the handlers' clients.
 */
import { createServer } from 'node:http';
import { startRuntime } from '../lib/local/runtime.ts';
import { loadDevKey, signDevToken } from '../lib/local/dev-tokens.ts';
import { STATE_DIR } from '../lib/local/state-dir.ts';
import { recordRequests, type Recorded } from '../lib/local/request-recorder.ts';
import { childMain, runInChild } from './child.ts';
import { countByCommand } from './requests.ts';
import { percentile, table } from './stats.ts';

/** us-east-1 list prices (2026): DynamoDB on demand, SQS standard, Lambda arm64, data out. */
const PRICES = { readUnit: 0.125e-6, writeUnit: 0.625e-6, sqsRequest: 0.4e-6, lambdaRequest: 0.2e-6, lambdaGbSecond: 0.0000133334, dataOutGb: 0.09 };

export const measureWebhooks = async (changes: number): Promise<string[]> => {
  // As deployed: the dispatcher and worker read a tenant's webhooks at most every 15 s per instance.
  process.env.WEBHOOK_CACHE_SECONDS = '15';
  const runtime = await startRuntime({ port: 0, inMemory: true, schedulesEnabled: false });
  const arrivals = { webhook: new Map<string, number>(), hub: new Map<string, number>() };
  let bytes = 0;
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const at = Date.now();
      const parsed = JSON.parse(body) as { eventId: string };
      if (req.url === '/webhook') {
        arrivals.webhook.set(String(req.headers['webhook-id']), at);
        bytes += Buffer.byteLength(body);
      } else arrivals.hub.set(parsed.eventId, at);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  try {
    const call = async (tenant: string, method: string, path: string, body?: unknown) => {
      const authorization = `Bearer ${await signDevToken(loadDevKey(STATE_DIR), { sub: 'bench', tenant })}`;
      const response = await fetch(`${runtime.baseUrl}${path}`, {
        method,
        headers: { authorization, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as Record<string, unknown>;
    };
    const idle = () => fetch(`${runtime.baseUrl}/_local/idle`, { method: 'POST' });
    /** `changes` CRM customer creates, four at a time; the CustomerCreated event of each, with its commit time. */
    const makeChanges = async (tenant: string) => {
      const created: { time: number }[] = [];
      for (let i = 0; i < changes; i += 4) {
        await Promise.all(
          Array.from({ length: Math.min(4, changes - i) }, async (_, j) => {
            await call(tenant, 'POST', '/api/v1/crm/customers', { name: `Bench ${i + j}`, type: 'ORGANIZATION' });
            created.push({ time: Date.now() });
          }),
        );
      }
      await idle();
      return created;
    };

    // The same changes without and with a webhook: what a delivery adds.
    const without = await recordRequests(() => makeChanges('bench-no-webhook'));
    const tenant = 'bench-webhooks';
    await call(tenant, 'POST', '/api/v1/webhooks', { url: `http://127.0.0.1:${port}/webhook`, eventTypes: ['CustomerCreated'] });
    await call(tenant, 'POST', '/tmf-api/customerManagement/v4/hub', { callback: `http://127.0.0.1:${port}/hub`, query: 'eventType=CustomerCreateEvent' });
    const started = Date.now();
    const withWebhook = await recordRequests(async () => {
      await makeChanges(tenant);
      const deadline = Date.now() + 120_000;
      while ((arrivals.webhook.size < changes || arrivals.hub.size < changes) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await idle();
    });
    const elapsedS = (Date.now() - started) / 1000;

    // Latency: receipt minus the event's commit time (eventTime: when its transaction was written), per path.
    const feedEvents: { eventId: string; eventTime: string }[] = [];
    let after: string | undefined;
    await new Promise((r) => setTimeout(r, 1500)); // the local feed settles in 1 s
    const feedRequests = await recordRequests(async () => {
      for (;;) {
        const page = await call(tenant, 'GET', `/api/v1/events?limit=100${after ? `&after=${after}` : ''}`);
        feedEvents.push(...(page.events as typeof feedEvents));
        after = String(page.next);
        if (!page.more) break;
      }
    });
    const times = new Map(feedEvents.map((e) => [e.eventId, Date.parse(e.eventTime)]));
    const latencies = (arrived: Map<string, number>) => [...arrived].filter(([id]) => times.has(id)).map(([id, at]) => at - times.get(id)!);
    const webhookLatency = latencies(arrivals.webhook);
    // The hub hears each create as its TMF629 event (CustomerCreateEvent, written in the same transaction): in the feed too.
    const hubLatency = latencies(arrivals.hub);

    const sum = (requests: Recorded[], pick: (r: Recorded) => number) => requests.reduce((s, r) => s + pick(r), 0);
    const perChange = (requests: Recorded[]) => ({
      requests: requests.length / changes,
      read: sum(requests, (r) => r.readUnits) / changes,
      write: sum(requests, (r) => r.writeUnits) / changes,
    });
    const base = perChange(without);
    const withOne = perChange(withWebhook);
    const delivery = { requests: withOne.requests - base.requests, read: withOne.read - base.read, write: withOne.write - base.write };
    const byCommand = (requests: Recorded[]) => [...countByCommand(requests)].map(([command, n]) => `${command} ${(n / changes).toFixed(2)}`).join(', ');
    // A delivery at a quiet moment: one SendMessageBatch entry (the dispatcher batches 10 at busy times), one receive and one delete by
    // Lambda's poller, one worker invocation of ~100 ms at 256 MB; the body once over the Internet.
    const avgBytes = bytes / Math.max(1, arrivals.webhook.size);
    const dollars =
      delivery.read * PRICES.readUnit +
      delivery.write * PRICES.writeUnit +
      3 * PRICES.sqsRequest +
      PRICES.lambdaRequest +
      0.25 * 0.1 * PRICES.lambdaGbSecond +
      (avgBytes / 2 ** 30) * PRICES.dataOutGb;
    const feedPages = feedRequests.filter((r) => r.command === 'QueryCommand').length / 8;
    return [
      ...table(
        ['path', 'events', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
        [
          [
            'webhook (stream → dispatcher → queue → worker → receiver)',
            webhookLatency.length,
            ...[50, 90, 99, 100].map((p) => percentile(webhookLatency, p).toFixed(0)),
          ],
          [
            'TMF629 hub, same changes (stream → publisher → bus → notifier → listener)',
            hubLatency.length,
            ...[50, 90, 99, 100].map((p) => percentile(hubLatency, p).toFixed(0)),
          ],
        ],
      ),
      '',
      `${changes} CRM creates, four at a time, ${elapsedS.toFixed(1)} s in all; latency is the receiver's clock minus the event's \`eventTime\` (the commit). The stream poller polls every 100 ms, as Lambda's mapping polls about four times a second.`,
      '',
      ...table(
        ['per change', 'DynamoDB requests', 'read units', 'write units', 'requests by kind'],
        [
          ['without a webhook', base.requests.toFixed(2), base.read.toFixed(2), base.write.toFixed(2), byCommand(without)],
          ['with one webhook', withOne.requests.toFixed(2), withOne.read.toFixed(2), withOne.write.toFixed(2), byCommand(withWebhook)],
          [
            'what a delivery adds',
            delivery.requests.toFixed(2),
            delivery.read.toFixed(2),
            delivery.write.toFixed(2),
            'the event read again, the log entry written',
          ],
        ],
      ),
      '',
      `Cost per delivered event at list prices (us-east-1): about $${(dollars * 1e6).toFixed(2)} per million deliveries — DynamoDB ${((delivery.read * PRICES.readUnit + delivery.write * PRICES.writeUnit) * 1e6).toFixed(2)}, SQS (send, receive, delete) ${(3 * PRICES.sqsRequest * 1e6).toFixed(2)}, Lambda (one 100 ms worker call at 256 MB) ${((PRICES.lambdaRequest + 0.25 * 0.1 * PRICES.lambdaGbSecond) * 1e6).toFixed(2)}, data out (${avgBytes.toFixed(0)} B a body) ${((avgBytes / 2 ** 30) * PRICES.dataOutGb * 1e6).toFixed(2)}. At busy times the dispatcher's sends and the poller's receives and deletes take 10 messages each, and a worker call makes 10 deliveries: the SQS and Lambda shares fall about tenfold. A retried attempt costs the same again; a wait longer than 15 minutes adds one SQS send and receive per 15 minutes.`,
      '',
      `Reading the whole feed (${feedEvents.length} events, pages of 100): ${feedRequests.length} DynamoDB requests (${feedPages.toFixed(0)} pages of 8 shard Queries and one BatchGetItem), ${sum(feedRequests, (r) => r.readUnits).toFixed(1)} read units: ${((sum(feedRequests, (r) => r.readUnits) / Math.max(1, feedEvents.length)) * 100).toFixed(1)} per 100 events.`,
    ];
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
    await runtime.stop();
  }
};

export const runWebhooksInChild = (changes: number): string[] => runInChild<string[]>(import.meta.url, [String(changes)]);

await childMain(import.meta.url, ([changes]) => measureWebhooks(Number(changes)));
