/**
 * The public reference's function as the stack builds it (lib/function.ts, DOCS_BUNDLING): its
 * bundle, and beside it the OpenAPI document generated from the catalog and Swagger UI's files,
 * written by the after-bundling hook. Run in a fresh Node process with nothing else around it, it
 * serves the document of every operation, the page and its script: a deploy whose reference could
 * not find its files fails here first.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { docsRoute, operations } from '../../functions/catalog.ts';
import { BUNDLE_OPTIONS } from '../../lib/bundle.ts';
import { DOCS_BUNDLING } from '../../lib/function.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'rapport-docs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the reference function’s bundle', () => {
  it('serves the document of every operation and the page’s files from its own package', async () => {
    const out = join(dir, 'out');
    await build({ ...BUNDLE_OPTIONS, entryPoints: [join(ROOT, docsRoute.handler)], outfile: join(out, 'index.mjs') });
    for (const command of DOCS_BUNDLING.commandHooks.afterBundling(ROOT, out)) execFileSync('sh', ['-c', command]);
    expect(readdirSync(out).sort()).toEqual(
      expect.arrayContaining(['favicon-32x32.png', 'index.mjs', 'openapi.json', 'swagger-ui-bundle.js', 'swagger-ui.css']),
    );
    writeFileSync(
      join(dir, 'run.mjs'),
      `const { handler } = await import(${JSON.stringify(join(out, 'index.mjs'))});
const get = (path) => handler({ rawPath: path, headers: {}, requestContext: { domainName: 'abc.execute-api.eu-west-1.amazonaws.com', http: { method: 'GET' } } });
const answers = {};
for (const path of ['/openapi.json', '/docs', '/docs/swagger-ui-bundle.js', '/docs/reference.js', '/docs/secret.txt']) answers[path] = await get(path);
console.log(JSON.stringify(answers));`,
    );
    // No DOCS_DIR: the files are found beside the bundle, as in Lambda.
    const { DOCS_DIR: _, ...environment } = process.env;
    const run = spawnSync(process.execPath, [join(dir, 'run.mjs')], { cwd: tmpdir(), encoding: 'utf8', env: environment, maxBuffer: 64 * 1024 * 1024 });
    expect(run.stderr).toBe('');
    const answers = JSON.parse(run.stdout) as Record<string, { statusCode: number; headers: Record<string, string>; body: string }>;
    const document = JSON.parse(answers['/openapi.json']!.body) as {
      servers: { url: string }[];
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    expect(document.servers).toEqual([{ url: 'https://abc.execute-api.eu-west-1.amazonaws.com' }]);
    for (const op of operations) expect(document.paths[op.path]?.[op.method.toLowerCase()]?.operationId, op.name).toBe(op.name);
    expect(answers['/docs']).toMatchObject({ statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
    expect(answers['/docs']!.headers['content-security-policy']).toContain("script-src 'self'");
    expect(answers['/docs/swagger-ui-bundle.js']!.statusCode).toBe(200);
    expect(answers['/docs/swagger-ui-bundle.js']!.body).toContain('SwaggerUIBundle');
    expect(answers['/docs/reference.js']!.body).toContain("url: '/openapi.json'");
    expect(answers['/docs/secret.txt']!.statusCode).toBe(404);
  }, 90_000);
});
