/**
 * Table 11: custom fields (issue 24). What a customer write costs with 0, 20 and 200 custom
 * fields — its latency in-process against DynamoDB Local, its DynamoDB requests and write units,
 * the stored item's size — what checking the values costs per write (CPU, no I/O), and how long a
 * definition change takes to reach a running instance (deployed: FIELDS_CACHE_SECONDS = 5). The
 * environment must point at DynamoDB Local before this module is imported.
 */
import { handler as createCustomer } from '../functions/crm/create-customer.ts';
import { handler as updateCustomer } from '../functions/crm/update-customer.ts';
import { handler as getCustomer } from '../functions/crm/get-customer.ts';
import { handler as createField } from '../functions/fields/create-field.ts';
import { handler as updateField } from '../functions/fields/update-field.ts';
import { crm } from '../functions/crm/operations.ts';
import { fields as fieldOperations } from '../functions/fields/operations.ts';
import { checkCustomValues, type FieldDefinition } from '../functions/domain/custom-fields.ts';
import { getItems } from '../functions/storage/table/db.ts';
import { keys } from '../functions/storage/table/keys.ts';
import { itemBytes } from '../functions/storage/table/limits.ts';
import { call, type CallOptions } from '../lib/local/direct-call.ts';
import { recordRequests, type Recorded } from '../lib/local/request-recorder.ts';
import { countByCommand } from './requests.ts';
import { median, table, withSpread } from './stats.ts';

/** The i-th field: a mix of the types a bank would define; the first five strings unique. Its value in the `run`-th customer. */
const fieldAt = (i: number, run = 0): { definition: FieldDefinition; value: unknown } => {
  const key = `field_${String(i).padStart(3, '0')}`;
  switch (i % 8) {
    case 0:
      return { definition: { key, label: key, type: 'string', maxLength: 40, unique: i < 40, pattern: '^[A-Z0-9-]+$' }, value: `ID-${i}-${run + 1}` };
    case 1:
      return { definition: { key, label: key, type: 'integer', min: 0, max: 1_000_000 }, value: i * 7 };
    case 2:
      return {
        definition: { key, label: key, type: 'enum', options: Array.from({ length: 50 }, (_, o) => ({ key: `option_${o}`, label: `Option ${o}` })) },
        value: `option_${i % 50}`,
      };
    case 3:
      return { definition: { key, label: key, type: 'date' }, value: '2027-01-31' };
    case 4:
      return { definition: { key, label: key, type: 'decimal', scale: 2 }, value: 1234.56 };
    case 5:
      return { definition: { key, label: key, type: 'boolean' }, value: true };
    case 6:
      return { definition: { key, label: key, type: 'phone', defaultCountry: 'NL' }, value: '06 12345678' };
    default:
      return { definition: { key, label: key, type: 'money' }, value: { amount: 99.95, currency: 'EUR' } };
  }
};

const summary = (requests: Recorded[]) => ({
  requests: requests.length,
  commands: [...countByCommand(requests)].map(([command, n]) => `${n} ${command}`).join(', '),
  write: requests.reduce((sum, r) => sum + r.writeUnits, 0),
  read: requests.reduce((sum, r) => sum + r.readUnits, 0),
});

const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const result = await run();
  return [result, performance.now() - start];
};

export const measureCustomFields = async (counts: number[], runs: number): Promise<string[]> => {
  // As deployed: a tenant's definitions are kept 5 s per instance.
  process.env.FIELDS_CACHE_SECONDS = '5';
  /** One tenant per field count, its fields defined and one customer created (the instance holds the definitions: warm). */
  const tenants = [];
  for (const n of counts) {
    const tenant = `fields-${n}-${Date.now()}`;
    const as = (options: CallOptions): CallOptions => ({ tenant, sub: 'bench', ...options });
    const definitions = Array.from({ length: n }, (_, i) => fieldAt(i).definition);
    for (const definition of definitions) {
      const answer = await call(createField, fieldOperations.createField, as({ params: { object: 'customer' }, body: definition }));
      if (answer.status !== 201) throw new Error(`createField ${JSON.stringify(answer.body)}`);
    }
    const values = (run: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [definitions[i]!.key, fieldAt(i, run).value]));
    const create = async (run: number) => {
      const answer = await call(createCustomer, crm.createCrmCustomer, as({ body: { name: `Bench ${run}`, type: 'ORGANIZATION', customFields: values(run) } }));
      if (answer.status !== 201) throw new Error(`create ${JSON.stringify(answer.body)}`);
      return answer.body.id as string;
    };
    const id = await create(-2);
    const integer = definitions.find((d) => d.type === 'integer');
    const patch = (run: number) =>
      call(
        updateCustomer,
        crm.updateCrmCustomer,
        as({ params: { id }, body: integer ? { customFields: { [integer.key]: run } } : { industry: `Industry ${run}` } }),
      );
    const read = () => call(getCustomer, crm.getCrmCustomer, as({ params: { id } }));
    tenants.push({
      n,
      tenant,
      id,
      definitions,
      values,
      create,
      patch,
      read,
      latencies: { create: [] as number[], patch: [] as number[], read: [] as number[] },
    });
  }
  // Warm every path, then measure the field counts side by side, interleaved run by run.
  for (const t of tenants) for (let run = -12; run < -2; run++) await Promise.all([t.create(run), t.patch(run), t.read()]);
  for (let run = 0; run < runs; run++)
    for (const t of tenants) {
      t.latencies.create.push((await timed(() => t.create(run)))[1]);
      t.latencies.patch.push((await timed(() => t.patch(run)))[1]);
      t.latencies.read.push((await timed(() => t.read()))[1]);
    }
  const writes: (string | number)[][] = [];
  const checks: (string | number)[][] = [];
  for (const t of tenants) {
    const createCost = summary(await recordRequests(() => t.create(runs + 1)));
    const patchCost = summary(await recordRequests(() => t.patch(runs + 1)));
    const [item] = await getItems([keys.customer(t.tenant, t.id)]);
    writes.push([
      t.n,
      withSpread(t.latencies.create, 1),
      withSpread(t.latencies.patch, 1),
      withSpread(t.latencies.read, 1),
      `${createCost.requests} (${createCost.commands})`,
      createCost.write.toFixed(0),
      patchCost.write.toFixed(0),
      (itemBytes(item!) / 1024).toFixed(1),
    ]);
    // Checking a write's values, alone: CPU per write, no I/O.
    const inForce = new Map(t.definitions.map((d) => [d.key, d]));
    const given = t.values(0);
    await checkCustomValues(inForce, given, { creating: true });
    const rounds = t.n === 0 ? 20_000 : Math.max(200, Math.round(40_000 / t.n));
    const samples: number[] = [];
    for (let s = 0; s < 5; s++) {
      const start = performance.now();
      for (let r = 0; r < rounds; r++) await checkCustomValues(inForce, given, { creating: true });
      samples.push(((performance.now() - start) * 1000) / rounds);
    }
    checks.push([t.n, withSpread(samples, 1), t.n === 0 ? '–' : (median(samples) / t.n).toFixed(2)]);
  }

  // A definition change reaching a running instance: the time from the change's answer to the first write it refuses.
  const propagation: number[] = [];
  for (let run = 0; run < 3; run++) {
    const tenant = `fields-change-${run}-${Date.now()}`;
    const as = (options: CallOptions): CallOptions => ({ tenant, sub: 'bench', ...options });
    await call(createField, fieldOperations.createField, as({ params: { object: 'customer' }, body: { key: 'score', label: 'Score', type: 'integer' } }));
    const write = () => call(createCustomer, crm.createCrmCustomer, as({ body: { name: 'Prop', type: 'PERSON', customFields: { score: 90 } } }));
    await write(); // this instance now holds the definitions
    await new Promise((resolve) => setTimeout(resolve, 1000 + run * 1500)); // changes come at any point of the interval
    await call(updateField, fieldOperations.updateField, as({ params: { object: 'customer', key: 'score' }, body: { max: 50 } }));
    const changed = performance.now();
    while ((await write()).status === 201) await new Promise((resolve) => setTimeout(resolve, 50));
    propagation.push(performance.now() - changed);
  }

  return [
    `A tenant with n custom fields (one in eight each of string with an RE2 pattern, integer, 50-option enum, date, decimal, boolean, phone, money; up to 5 unique), every field given a value. Latencies are in-process through the real handler against DynamoDB Local, the field counts measured side by side (interleaved, after a warm-up), ${runs} runs each, median (min–max) in ms; the requests and units are one write recorded (ReturnConsumedCapacity=INDEXES; DynamoDB Local counts a transaction's item as 1 unit, DynamoDB bills 2). A unique value costs one claim item in the write's transaction.`,
    '',
    ...table(
      [
        'fields',
        'create, ms',
        'PATCH one value, ms',
        'GET enriched, ms',
        'create: DynamoDB requests',
        'create: write units',
        'PATCH: write units',
        'stored item, KB',
      ],
      writes,
    ),
    '',
    'Checking a write’s values against the definitions (domain `checkCustomValues`, CPU only, per write; phone numbers parsed by libphonenumber-js, patterns by RE2):',
    '',
    ...table(['fields', 'µs per write', 'µs per field'], checks),
    '',
    `A definition change (a tighter max) reaching a running instance that holds the definitions (FIELDS_CACHE_SECONDS = 5, as deployed): from the change's answer to the first write refused, 3 runs with the change at different points of the interval: ${withSpread(propagation, 0)} ms. Reading a tenant's definitions again is one Query of its field partition.`,
  ];
};
