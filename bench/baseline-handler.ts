/**
 * The cold-start baseline of a function (bench table 2, README "Performance"): a handler that sends
 * the same AWS requests as the function — the same commands with the same inputs, in the same
 * order and with the same overlap — with the bare SDK: the DynamoDB document client (and whatever
 * other SDK client the function used) with its defaults; no middleware, no validation, no
 * mapping. Generated as source per function and bundled on its own, so its bundle holds only the
 * SDK parts those requests need.
 */

/** One AWS request a function sent on its cold request (bench/cold-start-recorder.ts). */
export interface RecordedRequest {
  /** The SDK client's class: `DynamoDBDocumentClient`, `SQSClient`, … */
  client: string;
  /** The SDK command's class: `GetCommand`, `SendMessageBatchCommand`, … */
  command: string;
  /** The command's input as JavaScript source (`toSource`). */
  input: string;
  /** The requests (by index) that were answered before this one was sent: it waits for them, as the function did. */
  after: number[];
}

/** Where a client class and its commands come from, and how the baseline creates it: with the SDK's defaults. */
const clientSetup = (client: string): { module: string; create: string; imports: [string, string][] } => {
  if (client === 'DynamoDBDocumentClient')
    return {
      module: '@aws-sdk/lib-dynamodb',
      create: 'DynamoDBDocumentClient.from(new DynamoDBClient({}))',
      imports: [
        ['@aws-sdk/lib-dynamodb', client],
        ['@aws-sdk/client-dynamodb', 'DynamoDBClient'],
      ],
    };
  const module = `@aws-sdk/client-${client.replace(/Client$/, '').toLowerCase()}`;
  return { module, create: `new ${client}({})`, imports: [[module, client]] };
};

/**
 * A request input as JavaScript source that builds an equal value: plain objects, arrays, sets,
 * bytes and JSON scalars. Undefined properties are left out, as the functions' document client
 * does (`removeUndefinedValues`); anything else is refused rather than replayed differently.
 */
export const toSource = (value: unknown): string => {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (value instanceof Set) return `new Set(${toSource([...value])})`;
  if (value instanceof Uint8Array) return `new Uint8Array(${JSON.stringify([...value])})`;
  if (Array.isArray(value)) return `[${value.map(toSource).join(',')}]`;
  if (typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    const fields = Object.entries(value).filter(([, field]) => field !== undefined);
    return `{${fields.map(([key, field]) => `${JSON.stringify(key)}:${toSource(field)}`).join(',')}}`;
  }
  throw new Error(`a request input holds ${String(value)}, which the baseline cannot replay`);
};

/** The baseline handler's source: the clients the requests need, created when the module loads, and the requests sent on each invocation. */
export const baselineSource = (requests: readonly RecordedRequest[]): string => {
  const imports = new Map<string, Set<string>>();
  const importFrom = (module: string, name: string) => imports.set(module, (imports.get(module) ?? new Set()).add(name));
  const clients = [...new Set(requests.map((r) => r.client))].map((name) => ({ name, variable: `client${name}`, ...clientSetup(name) }));
  const byName = new Map(clients.map((c) => [c.name, c]));
  for (const c of clients) for (const [module, name] of c.imports) importFrom(module, name);
  for (const r of requests) importFrom(byName.get(r.client)!.module, r.command);
  const sends = requests.map((r, i) => {
    const send = `${byName.get(r.client)!.variable}.send(new ${r.command}(${r.input}))`;
    return `  const r${i} = ${r.after.length > 0 ? `Promise.all([${r.after.map((j) => `r${j}`).join(', ')}]).then(() => ${send})` : send};`;
  });
  return [
    ...[...imports].map(([module, names]) => `import { ${[...names].join(', ')} } from '${module}';`),
    ...clients.map((c) => `const ${c.variable} = ${c.create};`),
    'export const handler = async () => {',
    ...sends,
    `  await Promise.all([${requests.map((_, i) => `r${i}`).join(', ')}]);`,
    "  return { statusCode: 200, body: '' };",
    '};',
    '',
  ].join('\n');
};
