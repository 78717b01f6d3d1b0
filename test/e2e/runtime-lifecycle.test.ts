import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDevKey, signDevToken } from '../../lib/local/dev-tokens.ts';
import { startRuntimeProcess } from '../support/runtime-process.ts';
import { eventually, TMF } from '../support/http.ts';

const stateDir = mkdtempSync(join(tmpdir(), 'rapport-state-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

/** Pids of the processes that carry `RAPPORT_PROCESS_MARK=<mark>` in their environment (inherited by every descendant). */
const processesMarked = (mark: string): number[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'latin1').includes(`RAPPORT_PROCESS_MARK=${mark}`);
      } catch {
        return false; // gone meanwhile, or not ours to read
      }
    })
    .map(Number);

/** The CPU time (user and system) a process has used so far, in seconds: /proc/<pid>/stat counts it in ticks of 1/100 s. */
const cpuSeconds = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

const accepts = (endpoint: string): Promise<boolean> =>
  new Promise((resolve) => {
    const url = new URL(endpoint);
    const socket = connect(Number(url.port), url.hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('the local runtime’s life cycle', () => {
  it('keeps data across restarts, and does not publish old events again', async () => {
    const env = { RAPPORT_STATE_DIR: stateDir };
    const auth = { authorization: `Bearer ${await signDevToken(loadDevKey(stateDir), { sub: 'u', tenant: 'persist' })}`, 'content-type': 'application/json' };
    const first = await startRuntimeProcess([], env);
    let id: string;
    try {
      const created = await fetch(`${first.baseUrl}${TMF}/customer`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ name: 'Kept', engagedParty: { id: '1', '@referredType': 'Organization' } }),
      });
      id = ((await created.json()) as { id: string }).id;
      const events = (await (await fetch(`${first.baseUrl}/_local/events`)).json()) as unknown[];
      expect(events).toHaveLength(1);
    } finally {
      await first.stop();
    }
    const second = await startRuntimeProcess([], env);
    try {
      const again = await fetch(`${second.baseUrl}${TMF}/customer/${id}`, { headers: auth });
      expect(again.status).toBe(200);
      await fetch(`${second.baseUrl}${TMF}/customer/${id}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ status: 'Approved' }) });
      const events = (await (await fetch(`${second.baseUrl}/_local/events`)).json()) as { 'detail-type': string }[];
      expect(events.map((e) => e['detail-type'])).toEqual(['CustomerAttributeValueChangeEvent', 'CustomerStateChangeEvent']);
    } finally {
      await second.stop();
    }
  }, 90_000); // two cold starts of the runtime with a persistent DynamoDB Local: ~15 s alone, up to 30 s beside the rest of the suite

  it('leaves no DynamoDB Local (java) process behind when it is killed with SIGKILL', async () => {
    const runtime = await startRuntimeProcess(['--in-memory']);
    expect(await accepts(runtime.dynamoDbEndpoint)).toBe(true);
    runtime.child.kill('SIGKILL');
    await runtime.stop();
    await eventually('DynamoDB Local to be gone', async () => ((await accepts(runtime.dynamoDbEndpoint)) ? undefined : true), 15_000);
  }, 90_000); // a cold start of the runtime (DynamoDB Local, PostgreSQL, the S3 server) on a loaded machine, then up to 15 s

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops everything (tsx, Node, the guardian, DynamoDB Local) on ${signal} to npm start's own pid`, async () => {
      const mark = randomUUID();
      const runtime = await startRuntimeProcess(['--in-memory'], { RAPPORT_PROCESS_MARK: mark }, { viaNpm: true });
      expect(processesMarked(mark).length).toBeGreaterThanOrEqual(4); // npm, tsx, node, guardian (and java)
      try {
        runtime.child.kill(signal);
        await runtime.stop();
        await eventually('every process of the run to be gone', async () => (processesMarked(mark).length === 0 ? true : undefined), 15_000);
        expect(await accepts(runtime.dynamoDbEndpoint)).toBe(false);
        expect(await accepts(runtime.baseUrl)).toBe(false);
      } finally {
        // When it fails, leave nothing running behind the test either.
        for (const pid of processesMarked(mark)) process.kill(pid, 'SIGKILL');
      }
    }, 90_000);
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`keeps answering, idle, when the reader of its output goes away, and stops within 5 s of ${signal} to its process group`, async () => {
      const mark = randomUUID();
      const env = { RAPPORT_STATE_DIR: stateDir, RAPPORT_PROCESS_MARK: mark, LOG_LEVEL: 'INFO' };
      const runtime = await startRuntimeProcess(['--in-memory'], env, { viaNpm: true, processGroup: true, pipeStderr: true });
      try {
        // `npm start 2>&1 | head -c 40`, or a log collector that died: every later write to stdout or stderr fails (EPIPE).
        runtime.child.stdout!.destroy();
        runtime.child.stderr!.destroy();
        const auth = {
          authorization: `Bearer ${await signDevToken(loadDevKey(stateDir), { sub: 'u', tenant: 'closed-output' })}`,
          'content-type': 'application/json',
        };
        const call = (path: string, init: RequestInit = {}) => fetch(`${runtime.baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
        // A rejected request is logged (LOG_LEVEL=INFO): a write to the closed stdout.
        expect((await call(`${TMF}/customer`, { method: 'POST', headers: auth, body: '{' })).status).toBe(400);
        const created = await call(`${TMF}/customer`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ name: 'Unread', engagedParty: { id: '1', '@referredType': 'Organization' } }),
        });
        expect(created.status).toBe(201);
        const { id } = (await created.json()) as { id: string };
        expect((await call(`${TMF}/customer/${id}`, { headers: auth })).status).toBe(200);
        expect((await call('/_local/health')).status).toBe(200);

        // Idle, it uses a small part of a core (a write failing without end takes all of one).
        const [cpuBefore, wallBefore] = [cpuSeconds(runtime.pid), performance.now()];
        await new Promise((resolve) => setTimeout(resolve, 2000));
        const share = (cpuSeconds(runtime.pid) - cpuBefore) / ((performance.now() - wallBefore) / 1000);
        expect(share).toBeLessThan(0.5);
        expect((await call('/_local/health')).status).toBe(200);

        process.kill(-runtime.child.pid!, signal);
        await eventually(
          'every process of the run, DynamoDB Local included, to be gone',
          async () => (processesMarked(mark).length === 0 ? true : undefined),
          5_000,
        );
        expect(await accepts(runtime.dynamoDbEndpoint)).toBe(false);
      } finally {
        for (const pid of processesMarked(mark)) process.kill(pid, 'SIGKILL');
        await runtime.stop();
      }
    }, 90_000);
  }

  // A runtime's start (DynamoDB Local's JVM, the PGlite engine) takes 20–25 s on these shared 2-core machines under the suite's load: the
  // same bound as the tests above, not the 30 s default, which a loaded machine has overrun.
  it('stops DynamoDB Local on SIGTERM too', async () => {
    const runtime = await startRuntimeProcess(['--in-memory']);
    await runtime.stop();
    expect(await accepts(runtime.dynamoDbEndpoint)).toBe(false);
  }, 90_000);
});
