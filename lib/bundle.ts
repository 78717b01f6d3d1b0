import { build, type BuildOptions } from 'esbuild';
import { join } from 'node:path';
import { BUNDLE_ALIASES, BUNDLING } from './function.ts';

const PROJECT_ROOT = join(import.meta.dirname, '..');

/** The esbuild options the stack's NodejsFunctions bundle with (lib/function.ts), for size checks and the bench; an entry and an output to be added. */
export const BUNDLE_OPTIONS: BuildOptions = {
  bundle: true,
  minify: BUNDLING.minify,
  format: 'esm',
  platform: 'node',
  target: BUNDLING.target,
  mainFields: BUNDLING.mainFields,
  banner: { js: BUNDLING.banner },
  alias: Object.fromEntries(Object.entries(BUNDLE_ALIASES).map(([module, shim]) => [module, join(PROJECT_ROOT, shim)])),
  logLevel: 'silent',
};

/** A function's bundle as the stack builds it: its size, and the bytes each input file adds. */
export const bundleFunction = async (entry: string): Promise<{ bytes: number; inputs: Record<string, number> }> => {
  const result = await build({ ...BUNDLE_OPTIONS, entryPoints: [join(PROJECT_ROOT, entry)], write: false, metafile: true });
  const output = Object.values(result.metafile.outputs)[0]!;
  const inputs = Object.fromEntries(Object.entries(output.inputs).map(([file, info]) => [file, info.bytesInOutput]));
  return { bytes: result.outputFiles[0]!.contents.length, inputs };
};

/** A function's bundle as readable text (not minified), to check what the bundler did with a module. */
export const bundleText = async (entry: string): Promise<string> => {
  const result = await build({ ...BUNDLE_OPTIONS, minify: false, entryPoints: [join(PROJECT_ROOT, entry)], write: false });
  return result.outputFiles[0]!.text;
};
