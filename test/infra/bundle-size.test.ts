import { describe, expect, it } from 'vitest';
import { operations } from '../../functions/catalog.ts';
import { bundleFunction } from '../../lib/bundle.ts';

/** The performance budget (README, Performance): every API operation bundles to under 600 KB (cold start follows size). */
const BUDGET_BYTES = 600 * 1024;

describe('bundle size of every API operation (esbuild, minified ESM, as the stack builds it)', () => {
  it.each(operations.map((op) => [op.name, op.handler]))('%s stays under 600 KB and bundles no classic zod', async (_name, handler) => {
    const { bytes, inputs } = await bundleFunction(handler);
    expect(bytes).toBeLessThan(BUDGET_BYTES);
    const classicZod = Object.keys(inputs).filter((file) => /node_modules\/zod\/v4\/classic\//.test(file));
    expect(classicZod).toEqual([]);
  });
});
