import { build } from 'esbuild';
import { join } from 'node:path';

const PROJECT_ROOT = join(import.meta.dirname, '..');

/** The esbuild options the stack's NodejsFunctions bundle with (lib/rapport-stack.ts), for size checks and the bench. */
export const bundleFunction = async (entry: string): Promise<{ bytes: number; inputs: Record<string, number> }> => {
  const result = await build({
    entryPoints: [join(PROJECT_ROOT, entry)],
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    mainFields: ['module', 'main'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  const inputs = Object.fromEntries(Object.entries(output.inputs).map(([file, info]) => [file, info.bytesInOutput]));
  return { bytes: result.outputFiles[0]!.contents.length, inputs };
};
