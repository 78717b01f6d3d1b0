import { describe, expect, it } from 'vitest';
import { operations } from '../../functions/catalog.ts';
import { bundleFunction, bundleText } from '../../lib/bundle.ts';

/**
 * The performance budget (README, Performance): what every API operation evaluates on a cold start
 * bundles to under 600 KB (cold start follows size). The custom field engines (RE2 for patterns,
 * libphonenumber-js for phone numbers: functions/domain/custom-fields.ts) are imported dynamically,
 * so a bundle carries their code unevaluated until a tenant's fields need them; they are counted
 * apart, under their own budget.
 */
const BUDGET_BYTES = 600 * 1024;
const ENGINES_BUDGET_BYTES = 400 * 1024;
const ENGINE = /node_modules\/(re2js|libphonenumber-js)\//;

describe('bundle size of every API operation (esbuild, minified ESM, as the stack builds it)', () => {
  it.each(operations.map((op) => [op.name, op.handler]))('%s stays under 600 KB and bundles no classic zod and no X-Ray SDK', async (_name, handler) => {
    const { bytes, inputs } = await bundleFunction(handler);
    const engines = Object.entries(inputs)
      .filter(([file]) => ENGINE.test(file))
      .reduce((sum, [, size]) => sum + size, 0);
    expect(bytes - engines).toBeLessThan(BUDGET_BYTES);
    expect(engines).toBeLessThan(ENGINES_BUDGET_BYTES);
    const classicZod = Object.keys(inputs).filter((file) => /node_modules\/zod\/v4\/classic\//.test(file));
    expect(classicZod).toEqual([]);
    // API functions keep Lambda's own active-tracing segments; the X-Ray SDK (Powertools Tracer) is for background functions (functions/tracing.ts).
    const xray = Object.keys(inputs).filter((file) => /node_modules\/(aws-xray-sdk-core|@aws-lambda-powertools\/tracer)\//.test(file));
    expect(xray).toEqual([]);
    // node:http through require (lib/function.ts, BUNDLE_ALIASES): an ESM import of it loads undici on every cold start.
    expect(Object.keys(inputs)).toContain('lib/bundle-shims/node-http.cjs');
  });

  it('takes node:http through require, never through an ESM import (which would load undici on every cold start)', async () => {
    const text = await bundleText('functions/crm/get-customer.ts');
    expect(text).not.toMatch(/from\s*["'](node:)?http["']/);
    expect(text).toMatch(/__require\("http"\)/);
  });

  it('keeps the custom field engines unevaluated until asked for: only dynamic imports reach them', async () => {
    const text = await bundleText('functions/fields/create-field.ts');
    // esbuild wraps a module reached only by import() in a lazy initialiser, called where it is imported.
    expect(text).toMatch(/init_build\(\), build_exports/);
    expect(text).toMatch(/init_min\(\), min_exports/);
    expect(text.match(/init_build\(\)/g)).toHaveLength(1);
    expect(text.match(/init_min\(\)/g)).toHaveLength(1);
  });
});
