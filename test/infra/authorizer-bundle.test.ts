/**
 * The authorizer's bundle as the stack builds it (lib/function.ts, CEDAR_BUNDLING): an ESM bundle
 * whose Cedar engine reads its WebAssembly from beside the bundle. Built here with the same banner
 * and the same after-bundling copy, and run in a fresh Node process that decides a caller's access:
 * a deploy whose authorizer could not load Cedar fails here first. The API functions' bundles hold
 * none of it (bundle-size.test.ts keeps them small).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_OPTIONS, bundleFunction } from '../../lib/bundle.ts';
import { CEDAR_BUNDLING } from '../../lib/function.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'rapport-authorizer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the authorizer bundle', () => {
  it('loads Cedar from beside the bundle and decides a caller’s access in a fresh process', async () => {
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `import { decisionOf, grantOf, rolesOfTenant, warmGrants } from ${JSON.stringify(join(ROOT, 'functions/auth/access-policies.ts'))};
await warmGrants();
const roles = rolesOfTenant([]);
const grants = { everyone: await grantOf(), roles: new Map(await Promise.all(roles.map(async (role) => [role.name, await grantOf(role)]))) };
const teams = new Map([['b12', { id: 'b12', name: 'Branch 12', roles: [] }]]);
console.log(JSON.stringify(decisionOf({ roles, teams }, { user: 'ann', teams: ['b12'], roles: ['rep'], groups: [] }, grants)));`,
    );
    const out = join(dir, 'out');
    await build({ ...BUNDLE_OPTIONS, banner: { js: CEDAR_BUNDLING.banner }, entryPoints: [entry], outfile: join(out, 'index.mjs') });
    for (const command of CEDAR_BUNDLING.commandHooks.afterBundling(ROOT, out)) execFileSync('sh', ['-c', command]);
    const run = spawnSync(process.execPath, [join(out, 'index.mjs')], { cwd: tmpdir(), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const decision = JSON.parse(run.stdout);
    expect(decision).toMatchObject({
      roles: ['rep'],
      read: { tenant: false, own: true, teams: ['b12'] },
      write: { tenant: false, own: true, teams: [] },
      fields: { emails: 'write', identifiers: 'hidden', sensitive: 'hidden' },
    });
  }, 60_000);

  it('keeps Cedar out of every API function: the kernel reads the decision, it does not make it', async () => {
    const { inputs } = await bundleFunction('functions/crm/get-customer.ts');
    expect(Object.keys(inputs).filter((file) => file.includes('cedar'))).toEqual([]);
  });
});
