/**
 * Table 9: a customer's life at 10 and 10,000 timeline events — what export (every part), delete,
 * restore, erasure (to the end) and the purge after the window cost in DynamoDB requests and
 * consumed capacity. Every step is bounded: the requests grow with what the customer owns, each
 * request does not. The environment must point at DynamoDB Local before this module is imported.
 */
import { handler as createCustomer } from '../functions/crm/create-customer.ts';
import { handler as deleteCustomer } from '../functions/crm/delete-customer.ts';
import { handler as restoreCustomer } from '../functions/crm/restore-customer.ts';
import { handler as eraseCustomer } from '../functions/crm/erase-customer.ts';
import { handler as exportCustomer } from '../functions/crm/export-customer.ts';
import { handler as mergeCustomer } from '../functions/crm/merge-customer.ts';
import { handler as unmergeCustomer } from '../functions/crm/unmerge-customer.ts';
import { moveBackStep, moveMergedStep } from '../functions/storage/customers/customer-merge.ts';
import { crm } from '../functions/crm/operations.ts';
import { batchWrite } from '../functions/storage/table/db.ts';
import { keys } from '../functions/storage/table/keys.ts';
import { getCustomer } from '../functions/storage/customers/customers.ts';
import { deleteCustomer as softDelete, purgeStep } from '../functions/storage/customers/customer-lifecycle.ts';
import { call } from '../lib/local/direct-call.ts';
import { recordRequests, type Recorded } from '../lib/local/request-recorder.ts';
import { countByCommand } from './requests.ts';
import { table } from './stats.ts';

/** A customer with `events` timeline events besides its own (written directly, 25 per batch). */
const customerWithEvents = async (tenant: string, events: number): Promise<string> => {
  const id = (await call(createCustomer, crm.createCrmCustomer, { tenant, body: { name: 'Lifecycle', type: 'PERSON', email: 'life@bench.example' } })).body
    .id as string;
  const { pk } = keys.customer(tenant, id);
  await batchWrite(
    Array.from({ length: events }, (_, i) => ({
      PutRequest: {
        Item: {
          pk,
          sk: `EVENT#bench-${String(i).padStart(6, '0')}`,
          entity: 'EVENT',
          detailType: 'CustomerUpdated',
          detail: { eventId: `bench-${i}`, data: { changed: ['industry'] } },
        },
      },
    })),
  );
  return id;
};

const summary = (requests: Recorded[]): string[] => {
  const read = requests.reduce((sum, r) => sum + r.readUnits, 0);
  const write = requests.reduce((sum, r) => sum + r.writeUnits, 0);
  return [String(requests.length), [...countByCommand(requests)].map(([command, n]) => `${n} ${command}`).join(', '), read.toFixed(1), write.toFixed(1)];
};

export const measureLifecycle = async (sizes: number[]): Promise<string[]> => {
  const rows: (string | number)[][] = [];
  for (const events of sizes) {
    const tenant = `lifecycle-${events}-${Date.now()}`;
    const id = await customerWithEvents(tenant, events);
    const params = { id };
    rows.push([
      events,
      'export (every part, 200 items each)',
      ...summary(
        await recordRequests(async () => {
          let cursor: string | undefined;
          do {
            const part = await call(exportCustomer, crm.exportCrmCustomer, { tenant, params, query: cursor ? { cursor } : {} });
            cursor = part.body.next;
          } while (cursor);
        }),
      ),
    ]);
    rows.push([events, 'delete', ...summary(await recordRequests(() => call(deleteCustomer, crm.deleteCrmCustomer, { tenant, params })))]);
    rows.push([events, 'restore', ...summary(await recordRequests(() => call(restoreCustomer, crm.restoreCrmCustomer, { tenant, params })))]);
    rows.push([
      events,
      'erasure, to the end (the request, then purge steps)',
      ...summary(
        await recordRequests(async () => {
          const answer = await call(eraseCustomer, crm.eraseCrmCustomer, { tenant, params });
          for (let done = answer.status === 200; !done; ) done = (await purgeStep('erased', tenant, id, Date.now() + 4000, new Date().toISOString())).done;
        }),
      ),
    ]);
    // Merge a duplicate with this history into a fresh survivor, then unmerge it: each to the end (the request, then the sweep's steps).
    const survivor = await customerWithEvents(tenant, 0);
    const duplicate = await customerWithEvents(tenant, events);
    rows.push([
      events,
      'merge, to the end (the request, then move steps)',
      ...summary(
        await recordRequests(async () => {
          const answer = await call(mergeCustomer, crm.mergeCrmCustomer, { tenant, params: { id: survivor }, body: { duplicateIds: [duplicate] } });
          if (answer.status !== 200) throw new Error(`merge answered ${answer.status}`);
          while (!(await moveMergedStep(tenant, duplicate, survivor, '2099-01-01T00:00:00.000Z', Date.now() + 4000)));
        }),
      ),
    ]);
    rows.push([
      events,
      'unmerge, to the end (the request, then move-back steps)',
      ...summary(
        await recordRequests(async () => {
          const answer = await call(unmergeCustomer, crm.unmergeCrmCustomer, { tenant, params: { id: survivor }, body: { duplicateId: duplicate } });
          if (answer.status !== 200) throw new Error(`unmerge answered ${answer.status}`);
          while (!(await moveBackStep(tenant, duplicate, survivor, Date.now() + 4000)));
        }),
      ),
    ]);
    // The purge after a delete's window: the same customer again, its window ended.
    const other = await customerWithEvents(tenant, events);
    const record = (await getCustomer(tenant, other))!;
    await softDelete(
      record,
      { ...record, version: record.version + 1 },
      { deletedAt: '2018-01-01T00:00:00.000Z', deletedBy: 'bench', purgeAt: '2018-01-31T00:00:00.000Z' },
      [],
    );
    rows.push([
      events,
      'purge after the window (due-sweep steps)',
      ...summary(
        await recordRequests(async () => {
          for (let done = false; !done; ) done = (await purgeStep('deleted', tenant, other, Date.now() + 4000, new Date().toISOString())).done;
        }),
      ),
    ]);
  }
  return [
    'One customer (with an activity-free history of N events written directly), each operation through its real handler or storage step. Requests and consumed capacity as DynamoDB Local reports them (ReturnConsumedCapacity=INDEXES, its total taken). Delete and restore are one transaction whatever the history; export, erasure and the purge grow with what the customer owns, in requests of bounded size (a Query of at most 100–200 keys, BatchWriteItem of 25).',
    '',
    ...table(['events', 'operation', 'DynamoDB requests', 'by kind', 'read units', 'write units'], rows),
  ];
};
