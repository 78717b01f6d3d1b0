import { describe, expect, it } from 'vitest';
import { operations } from '../../functions/catalog.ts';
import { bundleFunction } from '../../lib/bundle.ts';

/** The performance budget (README, Performance): every API operation bundles to under 600 KB (cold start follows size). */
const BUDGET_BYTES = 600 * 1024;

describe('bundle size of every API operation (esbuild, minified ESM, as the stack builds it)', () => {
  it.each(operations.map((op) => [op.name, op.handler]))('%s stays under 600 KB and bundles no classic zod and no X-Ray SDK', async (_name, handler) => {
    const { bytes, inputs } = await bundleFunction(handler);
    expect(bytes).toBeLessThan(BUDGET_BYTES);
    const classicZod = Object.keys(inputs).filter((file) => /node_modules\/zod\/v4\/classic\//.test(file));
    expect(classicZod).toEqual([]);
    // API functions keep Lambda's own active-tracing segments; the X-Ray SDK (Powertools Tracer) is for background functions (functions/tracing.ts).
    const xray = Object.keys(inputs).filter((file) => /node_modules\/(aws-xray-sdk-core|@aws-lambda-powertools\/tracer)\//.test(file));
    expect(xray).toEqual([]);
  });
});
