/**
 * fast-check arbitraries for the fuzz test: request bodies, query strings, path parameters and
 * headers generated from an operation's own schemas (their JSON Schema, as the OpenAPI document
 * has them) and around them — wrong types, strings past their limits, unicode, deep nesting,
 * numbers outside DynamoDB's range, reserved keys — so every layer of validation is reached.
 */
import fc from 'fast-check';
import { toJSONSchema } from 'zod';
import type { ZodMiniType } from 'zod/mini';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  $defs?: Record<string, JsonSchema>;
};

const nested = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { level: value };
  return value;
};

/** Values no schema should let through unexamined: each a kind of input a hostile client sends. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e200, -1e-200, 1e126, Number.MAX_SAFE_INTEGER + 2),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('x'.repeat(1025), '😀'.repeat(300), 'a#b', '\u0000', ' ', '', '%00', '../../etc/passwd', '<script>'),
  fc.integer({ min: 20, max: 60 }).map(nested),
  fc.constant(null).map((): unknown => JSON.parse('{"__proto__":{"admin":true}}')),
  fc.constant(null).map((): unknown => JSON.parse('{"constructor":{"prototype":{"admin":true}}}')),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.anything({ maxDepth: 2 }), { maxKeys: 4 }),
);

/**
 * Generates JSON values for a JSON Schema: what it describes, or — `around` — now and then, at any
 * node, something else (a hostile value, a string past its limit, an unknown field).
 */
const fromSchema = (root: JsonSchema, aroundIt: boolean) => {
  const resolve = (node: JsonSchema): JsonSchema => {
    if (!node.$ref) return node;
    const name = node.$ref.replace(/^#\/\$defs\//, '');
    return root.$defs?.[name] ?? {};
  };
  const stringFor = (node: JsonSchema): fc.Arbitrary<unknown> => {
    if (node.format === 'date-time')
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    if (node.format === 'date')
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    if (node.format === 'email')
      return fc.tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.constantFrom('example.com', 'bank.example.nl')).map(([l, d]) => `${l}@${d}`);
    if (node.format === 'uri') return fc.webUrl();
    const max = Math.min(node.maxLength ?? 30, 60);
    const min = Math.min(node.minLength ?? 0, max);
    const within = fc.oneof(
      { arbitrary: fc.string({ minLength: min, maxLength: max }), weight: 3 },
      { arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: max }), weight: 1 },
    );
    if (!aroundIt) return within;
    // Now and then just past the declared limit.
    return fc.oneof({ arbitrary: within, weight: 12 }, { arbitrary: fc.constant('y'.repeat((node.maxLength ?? 1999) + 1)), weight: 1 });
  };
  const valid = (node: JsonSchema, depth: number): fc.Arbitrary<unknown> => {
    const schema = resolve(node);
    if (schema.const !== undefined) return fc.constant(schema.const);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const alternatives = schema.anyOf ?? schema.oneOf;
    if (alternatives?.length) return fc.oneof(...alternatives.map((alternative) => around(alternative, depth)));
    if (schema.allOf?.length) return around(schema.allOf[0]!, depth);
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    if (depth > 5) return type === 'object' ? fc.constant({}) : type === 'array' ? fc.constant([]) : fc.string({ maxLength: 5 });
    switch (type) {
      case 'string':
        return stringFor(schema);
      case 'integer':
        return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1_000_000 });
      case 'number':
        return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        return fc.array(around(schema.items ?? {}, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
      case 'object': {
        const properties = schema.properties ?? {};
        const required = (schema.required ?? []).filter((name) => name in properties);
        const record = fc.record(Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, around(property, depth + 1)])), {
          requiredKeys: required,
        });
        if (!aroundIt) return record;
        // Now and then a field the schema does not know.
        return fc
          .tuple(record, fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), hostileValue), { freq: 20 }))
          .map(([value, extra]) => (extra ? { ...value, [extra[0]]: extra[1] } : value));
      }
      default:
        return fc.anything({ maxDepth: 2 });
    }
  };
  const around = (node: JsonSchema, depth: number): fc.Arbitrary<unknown> =>
    aroundIt ? fc.oneof({ arbitrary: valid(node, depth), weight: 30 }, { arbitrary: hostileValue, weight: 1 }) : valid(node, depth);
  return valid(root, 0);
};

/** Request bodies for a zod schema: its shape, around it, and hostile values in its place. */
export const bodyFor = (schema: ZodMiniType): fc.Arbitrary<unknown> => {
  const json = toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
  return fc.oneof({ arbitrary: fromSchema(json, false), weight: 5 }, { arbitrary: fromSchema(json, true), weight: 4 }, { arbitrary: hostileValue, weight: 1 });
};

/** Values a zod schema accepts, generated from its JSON Schema (declared properties only). */
export const validFor = (schema: ZodMiniType): fc.Arbitrary<unknown> =>
  fromSchema(toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as JsonSchema, false);

/** Query parameters (strings) for a zod query schema: its keys with plausible and implausible values, and unknown keys. */
export const queryFor = (schema: ZodMiniType | undefined): fc.Arbitrary<Record<string, string>> => {
  const json = schema ? (toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as JsonSchema) : {};
  const names = Object.keys(json.properties ?? {});
  const value = fc.oneof(
    fc.constantFrom('1', '0', '-1', '20', '1000', '1001', '99999999999999999999', 'true', 'LEAD', 'ACTIVE', 'name', 'id,name', 'a', ''),
    fc.string({ maxLength: 20 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.constant('z'.repeat(3000)),
  );
  const key =
    names.length > 0
      ? fc.oneof({ arbitrary: fc.constantFrom(...names), weight: 4 }, { arbitrary: fc.string({ maxLength: 10 }), weight: 1 })
      : fc.string({ maxLength: 10 });
  return fc.dictionary(key, value, { maxKeys: 4 });
};

/** A path parameter: mostly the real id of a fixture (so the body is examined), otherwise anything a client may send. */
export const paramFor = (real: string | undefined): fc.Arbitrary<string> =>
  fc.oneof(
    ...(real ? [{ arbitrary: fc.constant(real), weight: 6 }] : []),
    { arbitrary: fc.uuid(), weight: 1 },
    { arbitrary: fc.string({ minLength: 1, maxLength: 40 }), weight: 1 },
    { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), weight: 1 },
    { arbitrary: fc.constantFrom('x'.repeat(5000), 'a#CUSTOMER#b', 'line\nbreak', '%2F', '..', 'LEAD'), weight: 1 },
  );

/** Headers: content types (accepted, wrong, other charsets), If-Match, Idempotency-Key and correlation ids, good and bad. */
export const headersFor = (accepted: string[]): fc.Arbitrary<Record<string, string>> =>
  fc.record(
    {
      'content-type': fc.oneof(
        { arbitrary: fc.constantFrom(...(accepted.length > 0 ? accepted : ['application/json'])), weight: 8 },
        { arbitrary: fc.constantFrom('application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'application/xml', ''), weight: 2 },
      ),
      'if-match': fc.constantFrom('"1"', '"2"', '"999999"', '*', 'W/"1"', 'garbage', '"1", "2"'),
      'idempotency-key': fc.oneof(fc.uuid(), fc.constantFrom('', 'k'.repeat(300), 'a#b')),
      'x-correlation-id': fc.string({ maxLength: 40 }),
    },
    { requiredKeys: ['content-type'] },
  );
