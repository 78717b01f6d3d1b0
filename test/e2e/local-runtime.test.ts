import { describe, expect, it } from 'vitest';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { operations } from '../../functions/catalog.ts';
import { SCOPES } from '../../functions/http/operation.ts';
import { baseUrl, http, TMF, token } from '../support/http.ts';

const moon = { name: 'Moon Football Club', engagedParty: { '@referredType': 'Organization', id: '500' } };

describe('local runtime over HTTP', () => {
  it('answers health', async () => {
    const answer = await http('GET', '/_local/health', { token: null });
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('ok');
  });

  it('verifies tokens like the JWT authorizer: signature, expiry, audience, and the route’s scope', async () => {
    expect((await http('GET', `${TMF}/customer`, { token: null })).status).toBe(401);
    const valid = await token();
    const [header, payload] = valid.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not a signature').toString('base64url')}`;
    expect((await http('GET', `${TMF}/customer`, { token: forged })).status).toBe(401);
    expect((await http('GET', `${TMF}/customer`, { token: token({ expiresInSeconds: -10 }) })).status).toBe(401);
    const otherAudience = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), aud: 'someone-else' })).toString(
      'base64url',
    );
    expect((await http('GET', `${TMF}/customer`, { token: `${header}.${otherAudience}.${valid.split('.')[2]}` })).status).toBe(401);
    const readOnly = token({ scopes: [SCOPES.read] });
    expect((await http('GET', `${TMF}/customer`, { token: readOnly })).status).toBe(200);
    const refused = await http('POST', `${TMF}/customer`, { token: readOnly, body: moon });
    expect(refused.status).toBe(403);
    expect((await http('GET', `${TMF}/customer`, { token: token({ scopes: [SCOPES.write] }) })).status).toBe(403);
  });

  it('guards every catalog route: 401 without a token, 403 for a write with a read-only token, 403 for an admin change without the admin scope', async () => {
    const readOnly = token({ scopes: [SCOPES.read] });
    const readWrite = token({ scopes: [SCOPES.read, SCOPES.write] });
    const admin = token({ scopes: [SCOPES.read, SCOPES.admin] });
    for (const op of operations) {
      const path = op.path.replace(/\{(\w+)\}/g, 'sample-$1');
      expect((await http(op.method, path, { token: null })).status, `${op.method} ${path}`).toBe(401);
      const body = op.method === 'GET' ? {} : { body: {} };
      if (op.access !== 'read') expect((await http(op.method, path, { token: readOnly, ...body })).status, `${op.method} ${path}`).toBe(403);
      if (op.access === 'admin') {
        expect((await http(op.method, path, { token: readWrite, ...body })).status, `${op.method} ${path}`).toBe(403);
        expect((await http(op.method, path, { token: admin, ...body })).status, `${op.method} ${path}`).not.toBe(403);
      }
    }
  });

  it('answers unknown routes with 404 and known paths with another method with 405 and Allow, in the family’s error body', async () => {
    const nowhere = await http('GET', '/nowhere');
    expect(nowhere.status).toBe(404);
    expect(nowhere.body).toMatchObject({ code: 'NOT_FOUND', status: '404' });
    const tmf = await http('PUT', `${TMF}/customer`);
    expect(tmf.status).toBe(405);
    expect(tmf.headers.get('allow')).toBe('GET, POST');
    expect(tmf.body).toMatchObject({ code: 'METHOD_NOT_ALLOWED', reason: 'Method Not Allowed', status: '405' });
    const crm = await http('PUT', '/api/v1/crm/customers/abc/owner');
    expect(crm.status).toBe(405);
    expect(crm.headers.get('allow')).toBe('DELETE');
    expect(crm.body).toEqual({ title: 'Method Not Allowed', detail: expect.stringContaining('allowed: DELETE'), time: expect.any(String) });
    const bian = await http('GET', '/CustomerRelationshipManagement/x/Nowhere');
    expect(bian.status).toBe(404);
    expect(bian.body).toMatchObject({ status_code: '404', status: 'Not Found' });
  });

  it('redirects a trailing slash to the route without it (308, method and query kept)', async () => {
    const answer = await fetch(`${baseUrl()}${TMF}/customer/?limit=1`, { redirect: 'manual', headers: { authorization: `Bearer ${await token()}` } });
    expect(answer.status).toBe(308);
    expect(answer.headers.get('location')).toBe(`${TMF}/customer?limit=1`);
    const followed = await fetch(`${baseUrl()}${TMF}/customer/?limit=1`, { headers: { authorization: `Bearer ${await token()}` } });
    expect(followed.status).toBe(200);
  });

  it('accepts only UTF-8 JSON (415 for another charset) and refuses __proto__ and constructor keys like unknown fields (400), storing nothing', async () => {
    const tenant = `edges-${Date.now()}`;
    const auth = await token({ tenant });
    const latin1 = await http('POST', `${TMF}/customer`, { token: auth, body: moon, headers: { 'content-type': 'application/json; charset=latin1' } });
    expect(latin1.status).toBe(415);
    expect((await http('POST', `${TMF}/customer`, { token: auth, body: moon, headers: { 'content-type': 'application/json; charset=UTF-8' } })).status).toBe(
      201,
    );
    const created = await http('GET', `${TMF}/customer`, { token: auth });
    const id = created.body[0].id;
    for (const raw of ['{"__proto__":{"admin":true}}', '{"status":"x","constructor":{"prototype":{"admin":true}}}']) {
      const answer = await fetch(`${baseUrl()}${TMF}/customer/${id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/merge-patch+json' },
        body: raw,
      });
      expect(answer.status, raw).toBe(400);
      expect(((await answer.json()) as { message: string }).message).toMatch(/unknown field '(__proto__|constructor)'/);
    }
    const after = await http('GET', `${TMF}/customer/${id}`, { token: auth });
    expect(after.headers.get('etag')).toBe('"1"');
  });

  it('hands GET requests with a JSON content type and no body through (as the CTK sends them)', async () => {
    const answer = await http('GET', `${TMF}/customer?limit=1`, { headers: { 'content-type': 'application/json' } });
    expect(answer.status).toBe(200);
  });

  it('publishes committed changes on the bus, EventBridge-shaped, oldest first', async () => {
    const tenant = `events-${Date.now()}`;
    const created = await http('POST', `${TMF}/customer`, { body: moon, token: token({ tenant }) });
    await http('PATCH', `${TMF}/customer/${created.body.id}`, { body: { status: 'Approved' }, token: token({ tenant }) });
    await http('DELETE', `${TMF}/customer/${created.body.id}`, { token: token({ tenant }) });
    const bus = (await http('GET', '/_local/events', { token: null })).body as {
      source: string;
      'detail-type': string;
      id: string;
      time: string;
      detail: { tenantId: string; sequence: number; eventId: string };
    }[];
    const mine = bus.filter((e) => e.detail.tenantId === tenant);
    expect(mine.map((e) => [e['detail-type'], e.detail.sequence])).toEqual([
      ['CustomerCreateEvent', 1],
      ['CustomerAttributeValueChangeEvent', 2],
      ['CustomerStateChangeEvent', 3],
      ['CustomerDeleteEvent', 4],
    ]);
    for (const event of mine) {
      expect(event).toMatchObject({ source: 'rapport.tmf629', id: expect.any(String), time: expect.stringMatching(/Z$/) });
      expect(typeof event.detail).toBe('object');
    }
    expect(new Set(mine.map((e) => e.detail.eventId)).size).toBe(4);
  });

  it('makes a committed change searchable: the projector follows the bus, and a deleted customer leaves the results', async () => {
    const tenant = `search-${Date.now()}`;
    const find = async () =>
      (await http('POST', '/api/v1/crm/customers/search', { body: { filter: { field: 'name', op: 'startsWith', value: 'moon' } }, token: token({ tenant }) }))
        .body as {
        results: { id: string }[];
      };
    const created = await http('POST', `${TMF}/customer`, { body: moon, token: token({ tenant }) });
    expect(created.status).toBe(201);
    const started = performance.now();
    while ((await find()).results.length === 0 && performance.now() - started < 10_000) await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await find()).results.map((c) => c.id)).toEqual([created.body.id]);
    console.log(`searchable ${Math.round(performance.now() - started)} ms after the create answered`);
    await http('DELETE', `${TMF}/customer/${created.body.id}`, { token: token({ tenant }) });
    await http('POST', '/_local/idle', { token: null });
    expect((await find()).results).toEqual([]);
  });

  it('imports a CSV file end to end: the job, its upload straight to the local S3 through the presigned URL, its run in the runtime', async () => {
    const tenant = `import-${Date.now()}`;
    const csv = 'name,email,type\nImported One,one@import.example,PERSON\nImported Two,not-an-email,PERSON\n';
    const created = await http('POST', '/api/v1/imports', {
      token: token({ tenant }),
      body: { object: 'customers', mode: 'upsert', matchKey: 'email', format: 'csv', bytes: Buffer.byteLength(csv) },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const put = await fetch(created.body.upload.parts[0].url, { method: 'PUT', body: csv });
    expect(put.status).toBe(200);
    const started = await http('POST', `/api/v1/imports/${created.body.id}/start`, {
      token: token({ tenant }),
      body: { parts: [{ partNumber: 1, etag: put.headers.get('etag') }] },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    let job = started.body;
    for (const until = Date.now() + 30_000; !['completed', 'failed'].includes(job.status) && Date.now() < until; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = (await http('GET', `/api/v1/imports/${created.body.id}`, { token: token({ tenant }) })).body;
    }
    expect(job).toMatchObject({ status: 'completed', counts: { read: 2, created: 1, failed: 1 } });
    const failed = await http('GET', `/api/v1/imports/${created.body.id}/results?outcome=failed`, { token: token({ tenant }) });
    expect(failed.body.results).toMatchObject([{ line: 3, outcome: 'failed', field: 'email', column: 'email' }]);
  });

  it('serves an OpenAPI 3.1 document of the whole catalog that passes the linter, and its reference page, without a token', async () => {
    const document = (await http('GET', '/openapi.json', { token: null })).body;
    // Both pages are fetched before the linter runs: it holds the event loop for seconds, long enough for the server to close the idle
    // keep-alive connection while the client still counts it as open ("other side closed" on the next request).
    const page = await fetch(`${baseUrl()}/docs`);
    const html = await page.text();
    expect(document.openapi).toBe('3.1.0');
    for (const op of operations) expect(document.paths[op.path][op.method.toLowerCase()].operationId).toBe(op.name);
    const config = await createConfig({ extends: ['recommended'], rules: { 'operation-4xx-response': 'error' } });
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: `${baseUrl()}/openapi.json`, config });
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    expect(errors).toEqual([]);
    // The linter is live: the same document with a path parameter left undeclared fails it.
    const broken = structuredClone(document);
    const withParam = operations.find((op) => op.path.includes('{'))!;
    delete broken.paths[withParam.path][withParam.method.toLowerCase()].parameters;
    const brokenProblems = await lintFromString({ source: JSON.stringify(broken), absoluteRef: 'broken.json', config });
    expect(brokenProblems.filter((p) => p.severity === 'error').length).toBeGreaterThan(0);
    // The page is Swagger UI's (functions/docs/serve-docs.ts): its script and styles from this server, under a CSP allowing nothing else.
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    const scripts = [...html.matchAll(/<script src="([^"]+)"><\/script>/g)].map((m) => m[1]);
    expect(scripts).toEqual(['/docs/swagger-ui-bundle.js', '/docs/reference.js']);
    expect(html).not.toMatch(/<script>|<style|style=|https?:\/\//);
    const bundle = await fetch(`${baseUrl()}/docs/swagger-ui-bundle.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-encoding')).toBe('gzip');
    expect(await bundle.text()).toContain('SwaggerUIBundle');
    const etag = bundle.headers.get('etag')!;
    expect((await fetch(`${baseUrl()}/docs/swagger-ui-bundle.js`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    // Nothing else is served without a token: a file not on the reference's list, another method, a path beside it.
    expect((await fetch(`${baseUrl()}/docs/package.json`)).status).toBe(404);
    expect((await fetch(`${baseUrl()}/docs/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${baseUrl()}/openapi.json`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${baseUrl()}/api/v1/crm/customers`)).status).toBe(401);
  });
});
