import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Imports run one way (ARCHITECTURE.md, Layers): domain ← storage ← events ← http ← families ←
 * work across families ← bulk import ← catalog ← lib. The cross-cutting platform files (logging, metrics, tracing) may be imported by
 * any layer but domain. A family does not import another family. The bench does not import the tests
 * (what both use to call handlers and record requests is in `lib/local/`). KNOWN lists exceptions
 * still to be removed (none today); the test fails on any other, and on a listed one that is gone.
 */
const root = resolve(import.meta.dirname, '..', '..');
const FAMILIES = ['tmf629', 'crm', 'bian-crm', 'bian-casemgmt', 'auth', 'fields', 'access'];
const PLATFORM = ['functions/aws-clients.ts', 'functions/observability.ts', 'functions/business-metrics.ts', 'functions/tracing.ts'];

const layerOf = (file: string): { rank: number; family?: string } => {
  if (file.startsWith('functions/domain/')) return { rank: 0 };
  if (PLATFORM.includes(file)) return { rank: 0.5 };
  if (file.startsWith('functions/storage/')) return { rank: 1 };
  if (file.startsWith('functions/events/')) return { rank: 1.5 }; // reads the outbox items storage writes
  if (file.startsWith('functions/http/')) return { rank: 2 };
  if (file.startsWith('functions/bian/')) return { rank: 2.5 }; // what both BIAN families share
  const family = FAMILIES.find((f) => file.startsWith(`functions/${f}/`));
  if (family) return { rank: 3, family };
  // Work across families: the due sweep; webhooks and the event feed; the search projector and its reconciliation.
  if (['functions/schedules/', 'functions/webhooks/', 'functions/search/'].some((folder) => file.startsWith(folder))) return { rank: 3.5 };
  // Bulk work over the families' operations: an import writes each row through the operation its API request would call.
  if (file.startsWith('functions/imports/')) return { rank: 3.75 };
  if (file === 'functions/catalog.ts' || file === 'functions/event-catalog.ts' || file === 'functions/unmatched-route.ts') return { rank: 4 };
  if (file.startsWith('functions/docs/')) return { rank: 4 }; // the public reference: serves what the catalog's document was built into
  if (file.startsWith('lib/') || file.startsWith('bin/')) return { rank: 5 };
  return { rank: 6 }; // bench/, test/: may import anything below them
};

const KNOWN = new Set<string>([]);

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });

const importsOf = (file: string): string[] =>
  [...readFileSync(join(root, file), 'utf8').matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)].map((m) =>
    relative(root, resolve(dirname(join(root, file)), m[1]!)),
  );

describe('layers', () => {
  const files = ['functions', 'lib', 'bin', 'bench'].flatMap(sourceFiles);
  const violations = new Set<string>();
  for (const file of files) {
    const from = layerOf(file);
    for (const target of importsOf(file)) {
      const to = layerOf(target);
      const familyCrossing = from.family !== undefined && to.family !== undefined && from.family !== to.family;
      const upward = to.rank > from.rank || (from.rank === 0 && to.rank === 0.5);
      if (file.startsWith('bench/') && target.startsWith('test/')) violations.add('bench → test');
      else if (upward || familyCrossing) violations.add(`${file} → ${to.family ? `functions/${to.family}` : target}`);
    }
  }

  it('imports run one way, and no family imports another, but for the known exceptions', () => {
    expect([...violations].filter((v) => !KNOWN.has(v)).sort()).toEqual([]);
  });

  it('lists only exceptions that still exist (remove one from KNOWN when it is fixed)', () => {
    expect([...KNOWN].filter((k) => !violations.has(k)).sort()).toEqual([]);
  });

  it('keeps the client package on its own: clients/ imports nothing of Rapport outside it (it is published apart)', () => {
    const client = sourceFiles('clients/typescript/src');
    expect(client.length).toBeGreaterThan(0);
    expect(
      client.flatMap((f) =>
        importsOf(f)
          .filter((t) => !t.startsWith('clients/typescript/'))
          .map((t) => `${f} → ${t}`),
      ),
    ).toEqual([]);
  });

  it('keeps storage free of HTTP: storage throws its own errors and the kernel maps them', () => {
    const offending = files.filter((f) => f.startsWith('functions/storage/') && importsOf(f).some((t) => t.startsWith('functions/http/')));
    expect(offending).toEqual([]);
  });
});
