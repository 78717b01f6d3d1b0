import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';

/**
 * Generates zod/mini schemas from a BIAN OpenAPI file, field by field: every component schema
 * becomes a schema of the same name (objects with all fields optional, strings as strings, enums
 * as enums, references as lazy getters so BIAN's cyclic references work). Every schema and field is
 * built on first use (`z.lazy`, getters): a function's cold start builds only what its request
 * touches, not the whole spec. The output is checked in (`functions/<family>/spec-schemas.ts`) and
 * a test fails when it drifts from the spec.
 */
interface SpecSchema {
  type?: string;
  enum?: string[];
  properties?: Record<string, { type?: string; $ref?: string; items?: { $ref?: string; type?: string } }>;
  items?: { $ref?: string };
}

const refName = (ref: string): string => ref.split('/').pop()!;
const ident = (name: string): string => `S_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;

export const generateBianSchemas = (specFile: string, specLabel: string): string => {
  const spec = load(readFileSync(specFile, 'utf8')) as { components: { schemas: Record<string, SpecSchema> } };
  const schemas = spec.components.schemas;
  const lines: string[] = [
    `// Generated from ${specLabel} by lib/bian-schemas.ts — do not edit; run \`npm run bian-schemas\`.`,
    "import * as z from 'zod/mini';",
    '',
  ];
  const property = (p: NonNullable<SpecSchema['properties']>[string]): string => {
    if (p.$ref) return `z.optional(${ident(refName(p.$ref))})`;
    if (p.type === 'array') return p.items?.$ref ? `z.optional(z.array(${ident(refName(p.items.$ref))}))` : 'z.optional(z.array(z.string()))';
    return 'z.optional(z.string())';
  };
  for (const [name, schema] of Object.entries(schemas)) {
    if (name === 'HTTPError') continue;
    if (schema.enum) {
      lines.push(`export const ${ident(name)} = z.lazy(() => z.enum(${JSON.stringify(schema.enum)}));`);
      continue;
    }
    const fields = Object.entries(schema.properties ?? {}).map(([field, p]) => `  get ${JSON.stringify(field)}() { return ${property(p)}; },`);
    // F_<name>: the fields (spread into strict top-level bodies); S_<name>: the schema, open for nested use.
    lines.push(`export const F_${ident(name).slice(2)}: Record<string, z.ZodMiniType> = {`, ...fields, '};');
    lines.push(`export const ${ident(name)}: z.ZodMiniType = z.lazy(() => z.looseObject(F_${ident(name).slice(2)}));`);
  }
  return `${lines.join('\n')}\n`;
};

/** Names of a schema's fields, for strict top-level bodies. */
export const bianFieldsOf = (specFile: string, name: string): string[] => {
  const spec = load(readFileSync(specFile, 'utf8')) as { components: { schemas: Record<string, SpecSchema> } };
  return Object.keys(spec.components.schemas[name]?.properties ?? {});
};
