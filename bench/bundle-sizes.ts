/** Table 1: every function's bundle as the stack builds it (esbuild, minified ESM), largest first. */
import { eventRules, operations, schedules, streamPublisher, webhookDispatcher, webhookWorker } from '../functions/catalog.ts';
import { bundleFunction } from '../lib/bundle.ts';
import { table } from './stats.ts';

export const measureBundles = async (): Promise<string[]> => {
  const entries = [
    ...operations.map((op) => ({ name: op.name, file: op.handler })),
    ...eventRules.map((r) => ({ name: r.name, file: r.handler })),
    ...schedules.map((s) => ({ name: s.name, file: s.handler })),
    { name: streamPublisher.name, file: streamPublisher.handler },
    { name: webhookDispatcher.name, file: webhookDispatcher.handler },
    { name: webhookWorker.name, file: webhookWorker.handler },
  ];
  const bundles = [];
  for (const entry of entries) bundles.push({ ...entry, ...(await bundleFunction(entry.file)) });
  bundles.sort((a, b) => b.bytes - a.bytes);
  const largest = bundles[0]!;
  const byPackage: Record<string, number> = {};
  for (const [file, bytes] of Object.entries(largest.inputs)) {
    const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? 'rapport (functions/)';
    byPackage[pkg] = (byPackage[pkg] ?? 0) + bytes;
  }
  return [
    ...table(
      ['function', 'KB'],
      bundles.map((b) => [b.name, (b.bytes / 1024).toFixed(1)]),
    ),
    '',
    `Largest: ${largest.name}. What it is made of (KB): ${Object.entries(byPackage)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([p, b]) => `${p} ${(b / 1024).toFixed(0)}`)
      .join(', ')}. Budget: 600 KB per API operation (README, Performance), enforced by test/infra/bundle-size.test.ts. Sizes are deterministic: one build.`,
  ];
};
