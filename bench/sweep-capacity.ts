/**
 * `npm run bench:sweep`: the due sweep's consumed read capacity against table size. Starts its
 * own in-memory DynamoDB Local, fills one table with N customers of which 10 are due, runs the
 * real sweep with ReturnConsumedCapacity=TOTAL on every request, and prints the reads.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal, ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION } from '../lib/local/dynamodb-local.ts';
import { lambdaContext } from '../lib/local/functions.ts';

const sizes = (process.argv[2] ?? '100,10000').split(',').map(Number);
const DUE = 10;

const dynamo = await startDynamoDbLocal({});
Object.assign(process.env, {
  AWS_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
  POWERTOOLS_LOG_LEVEL: 'SILENT',
});
try {
  const { db } = await import('../functions/storage/db.ts');
  const { insertCustomer, newCustomerMeta } = await import('../functions/storage/customers.ts');
  const { newEvent } = await import('../functions/events/envelope.ts');
  const { handler: sweep } = await import('../functions/crm/sweep-due-items.ts');
  let reads = 0;
  let requests = 0;
  let measuring = false;
  db.middlewareStack.add(
    (next) => async (args) => {
      if (measuring) (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      if (measuring) {
        requests++;
        const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity;
        const isRead = (args.input as { KeyConditionExpression?: string }).KeyConditionExpression !== undefined || (args.input as { Key?: unknown }).Key !== undefined;
        if (isRead) for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) reads += c.CapacityUnits ?? 0;
      }
      return result;
    },
    { step: 'initialize', name: 'benchCapacity' },
  );
  const rows: string[] = [];
  for (const [run, size] of sizes.entries()) {
    const table = `bench-sweep-${run}`;
    await ensureTable(new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }), table);
    process.env.TABLE_NAME = table;
    const tenant = 'bench';
    const started = Date.now();
    for (let i = 0; i < size; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, size - i) }, (_, j) => {
          const n = i + j;
          const record = {
            ...newCustomerMeta(`c${n}`, tenant, 'bench'),
            name: `Customer ${n}`,
            engagedParty: { id: `p${n}`, '@referredType': 'Organization' },
            crmStatus: 'LEAD',
            tags: [],
            // 10 due in the past; the rest due in the future (they are in the due index too, but not due).
            ...(n < DUE ? { nextAction: 'Call', nextActionDueDate: '2020-01-01T00:00:00Z' } : n % 2 === 0 ? { nextAction: 'Later', nextActionDueDate: '2999-01-01T00:00:00Z' } : {}),
          };
          return insertCustomer(record, newEvent({ source: 'bench', eventType: 'Seeded', tenantId: tenant, subject: { type: 'Customer', id: record.id }, sequence: 1, actor: 'bench', correlationId: 'bench', data: {} }));
        }),
      );
    }
    const seeded = Date.now() - started;
    reads = 0;
    requests = 0;
    measuring = true;
    const t0 = performance.now();
    const result = await sweep({ scheduledTime: '2021-01-01T00:00:00Z' }, lambdaContext('due-sweep', 600_000));
    const ms = performance.now() - t0;
    measuring = false;
    rows.push(`| ${size} | ${DUE} | ${result.flagged} | ${requests} | ${reads.toFixed(1)} | ${ms.toFixed(0)} ms | (seeded in ${(seeded / 1000).toFixed(1)} s) |`);
  }
  console.log('| customers | due | flagged | DynamoDB requests | read units consumed (reads only) | sweep duration |  |');
  console.log('|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
} finally {
  await dynamo.stop();
}
