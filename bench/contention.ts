/**
 * Table 8: writers on one record. N callers change one CRM customer at the same moment, each a
 * different profile field, none with If-Match: nothing conflicts, so none should be refused. Each
 * round reports how many were refused (503 after the retry budget, functions/storage/table/optimistic.ts),
 * the DynamoDB requests per committed change (1 read + 1 write without contention) and the wall
 * time until the last one answered. The environment must point at DynamoDB Local before this
 * module is imported.
 */
import { handler as createCustomer } from '../functions/crm/create-customer.ts';
import { handler as updateCustomer } from '../functions/crm/update-customer.ts';
import { crm } from '../functions/crm/operations.ts';
import { RETRY_BUDGET_MS } from '../functions/storage/table/optimistic.ts';
import { call } from '../lib/local/direct-call.ts';
import { recordRequests } from '../lib/local/request-recorder.ts';
import { median, table } from './stats.ts';

export const measureContention = async (writerCounts: number[], rounds: number): Promise<string[]> => {
  const rows: (string | number)[][] = [];
  for (const writers of writerCounts) {
    const refused: number[] = [];
    const perChange: number[] = [];
    const wall: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const tenant = `contention-${writers}-${round}`;
      const id = (await call(createCustomer, crm.createCrmCustomer, { tenant, body: { name: 'Contended', type: 'ORGANIZATION' } })).body.id as string;
      const started = performance.now();
      let statuses: number[] = [];
      const requests = await recordRequests(async () => {
        const answers = await Promise.all(
          Array.from({ length: writers }, (_, i) => call(updateCustomer, crm.updateCrmCustomer, { tenant, params: { id }, body: { industry: `i${i}` } })),
        );
        statuses = answers.map((a) => a.status);
      });
      wall.push(performance.now() - started);
      const committed = statuses.filter((s) => s === 200).length;
      refused.push(statuses.filter((s) => s === 503).length);
      perChange.push(requests.length / Math.max(1, committed));
      const other = statuses.filter((s) => s !== 200 && s !== 503);
      if (other.length > 0) throw new Error(`unexpected answers under contention: ${other.join(', ')}`);
    }
    rows.push([writers, `${median(refused)} (${Math.max(...refused)})`, median(perChange).toFixed(1), `${(median(wall) / 1000).toFixed(2)} s`]);
  }
  return [
    `${rounds} rounds per row, medians (worst round in brackets). A writer is refused (503, Retry-After) only after retrying for ${RETRY_BUDGET_MS / 1000} s against a record that other writers kept changing; with If-Match a stale writer gets 412 at once instead.`,
    '',
    ...table(['writers on one customer', 'refused', 'DynamoDB requests per committed change', 'until the last answered'], rows),
    '',
    'DynamoDB Local serialises transactions and answers each in tens of milliseconds, so a round here is several times slower than on DynamoDB, where a read and a transactional write of one customer take about 15 ms together: the retry budget then covers roughly eight times as many writers as it does here.',
  ];
};
