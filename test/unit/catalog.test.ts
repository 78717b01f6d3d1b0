import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventRules, importRelay, operations, schedules, streamPublisher } from '../../functions/catalog.ts';
import { matchRoute } from '../../lib/local/gateway.ts';
import { pathsOf } from '../../functions/http/operation.ts';

const root = join(import.meta.dirname, '..', '..');
const sourceFiles = (dir: string): string[] =>
  readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });

describe('the operation catalog', () => {
  it('names each operation once, with a unique method and path', () => {
    expect(new Set(operations.map((op) => op.name)).size).toBe(operations.length);
    const routes = operations.flatMap((op) => pathsOf(op).map((path) => `${op.method} ${path}`));
    expect(new Set(routes).size).toBe(routes.length);
  });

  /** The rule: functions/<family>/<the name in kebab case, without the family's word>.ts; a generation suffix (V3, V5) is a folder. */
  const FAMILY_WORD = {
    tmf629: '',
    crm: 'Crm',
    'bian-crm': 'bianCrm',
    'bian-casemgmt': 'bianCaseMgmt',
    webhooks: '',
    fields: '',
    access: '',
    imports: '',
  } as const;
  const handlerFileOf = (op: (typeof operations)[number]) => {
    const word = FAMILY_WORD[op.family];
    const [, base, generation] = /^(.*?)(V\d)?$/.exec(word ? op.name.replace(word, '') : op.name)!;
    const name = base!;
    return `functions/${op.family}/${generation ? `${generation.toLowerCase()}/` : ''}${name.replace(/^[A-Z]/, (c) => c.toLowerCase()).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.ts`;
  };

  it.each(operations.map((op) => [op.name, op]))('%s: its handler file follows from its name and exports a handler', async (_name, op) => {
    expect(op.handler).toBe(handlerFileOf(op));
    expect(existsSync(join(root, op.handler))).toBe(true);
    const module = (await import(join(root, op.handler))) as { handler?: unknown };
    expect(typeof module.handler).toBe('function');
  });

  it('routes every catalog path, with sample parameters, to its own operation in the local gateway', () => {
    for (const op of operations) {
      for (const template of pathsOf(op)) {
        const path = template.replace(/\{(\w+)\}/g, 'sample-$1');
        const route = matchRoute(op.method, path);
        expect(route?.operation.name, `${op.method} ${path}`).toBe(op.name);
        for (const [param, value] of Object.entries(route!.params)) expect(value).toBe(`sample-${param}`);
      }
    }
  });

  it('declares a request body for the operations that take one (changes whose whole input is not in the path)', () => {
    const takesBody = (o: (typeof operations)[number]) =>
      (o.method === 'PATCH' || o.method === 'PUT' || (o.method === 'POST' && o.name.startsWith('create'))) && !o.path.endsWith('}');
    for (const op of operations.filter(takesBody)) {
      expect(op.request?.body, op.name).toBeDefined();
    }
  });

  it('lists handler files that exist for the publisher, event rules and schedules', () => {
    for (const file of [streamPublisher.handler, ...eventRules.map((r) => r.handler), ...schedules.map((s) => s.handler)]) {
      expect(existsSync(join(root, file)), file).toBe(true);
    }
  });
});

describe('code rules', () => {
  const functionsCode = sourceFiles('functions').map((file) => [file, readFileSync(join(root, file), 'utf8')] as const);

  it('never scans the table in a request path (only the operator’s backfill does, and no function imports it)', () => {
    const backfill = 'functions/storage/backfill.ts';
    for (const [file, text] of functionsCode) {
      if (file.endsWith(backfill)) continue;
      expect(text, file).not.toMatch(/ScanCommand|\.scan\(/);
      expect(text, file).not.toMatch(/storage\/backfill\.ts|\.\/backfill\.ts/);
    }
  });

  it('calls PutEvents in one place: the bus module, which only the stream publisher and the import relay use', () => {
    for (const [file, text] of functionsCode) if (text.includes('PutEventsCommand')) expect(file).toBe('functions/events/bus.ts');
    const users = functionsCode
      .filter(([file, text]) => file !== 'functions/events/bus.ts' && /from '[./]+\/(events\/)?bus\.ts'/.test(text))
      .map(([file]) => file);
    expect(users.sort()).toEqual([streamPublisher.handler, importRelay.handler].sort());
  });

  it('uses zod/mini in request paths (classic zod does not tree-shake)', () => {
    for (const [file, text] of functionsCode) expect(text, file).not.toMatch(/from 'zod'/);
  });
});
