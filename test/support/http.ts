import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { inject } from 'vitest';
import { loadDevKey, signDevToken, type DevTokenInput } from '../../lib/local/dev-tokens.ts';
import { STATE_DIR } from '../../lib/local/state-dir.ts';

export const baseUrl = (): string => inject('baseUrl');
export const TMF = '/tmf-api/customerManagement/v4';
export const TMF_V3 = '/tmf-api/customerManagement/v3';
export const TMF_V5 = '/tmf-api/customer/v5';

/** A dev token signed with the local runtime's key, as `npm run token` makes it. */
export const token = (input: Partial<DevTokenInput> = {}): Promise<string> =>
  signDevToken(loadDevKey(STATE_DIR), { sub: 'e2e-user', tenant: 'e2e-tenant', ...input });

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON, typed as JSON.parse types it (undefined for an empty body). */
  body: ReturnType<typeof JSON.parse>;
}

export const http = async (
  method: string,
  path: string,
  options: { body?: unknown; token?: string | Promise<string> | null; headers?: Record<string, string>; redirect?: 'follow' | 'manual' } = {},
): Promise<HttpAnswer> => {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== null) headers.authorization = `Bearer ${await (options.token ?? token())}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${baseUrl()}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    ...(options.redirect ? { redirect: options.redirect } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
};

/** Waits until `check` holds, polling; fails with `what` after the deadline. */
export const eventually = async <T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

export interface Listener {
  url: string;
  received: { path: string; body: ReturnType<typeof JSON.parse>; raw: string; headers: Record<string, string>; at: number }[];
  close(): Promise<void>;
}

/** A TMF listener on loopback; `respond` decides each answer (default 201). */
export const startListener = async (
  respond: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(201).end(),
): Promise<Listener> => {
  const received: Listener['received'] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, String(value)]));
      received.push({ path: req.url ?? '/', body: JSON.parse(text), raw: text, headers, at: Date.now() });
      respond(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/listener`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
