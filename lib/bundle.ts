import { build } from 'esbuild';
import { join } from 'node:path';
import { BUNDLING } from './function.ts';

const PROJECT_ROOT = join(import.meta.dirname, '..');

/** The esbuild options the stack's NodejsFunctions bundle with (lib/function.ts), for size checks and the bench. */
export const bundleFunction = async (entry: string): Promise<{ bytes: number; inputs: Record<string, number> }> => {
  const result = await build({
    entryPoints: [join(PROJECT_ROOT, entry)],
    bundle: true,
    write: false,
    minify: BUNDLING.minify,
    format: 'esm',
    platform: 'node',
    target: BUNDLING.target,
    mainFields: BUNDLING.mainFields,
    banner: { js: BUNDLING.banner },
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  const inputs = Object.fromEntries(Object.entries(output.inputs).map(([file, info]) => [file, info.bytesInOutput]));
  return { bytes: result.outputFiles[0]!.contents.length, inputs };
};
