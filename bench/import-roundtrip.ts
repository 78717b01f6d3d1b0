/**
 * Table 16: issue 27's round trip at scale through the local runtime — a mixed CSV of 100,000 rows
 * (customers, bad rows, in-file duplicates, activities referring to the row above them) imported,
 * run again, exported and reverted, each step checked as the e2e test checks 1,200
 * (bench/import-roundtrip-scenario.ts): rows a second for each. Runs in a process of its own; each
 * step's time goes to stderr as it ends (a long run shows where it is).
 */
import { startRuntime } from '../lib/local/runtime.ts';
import { loadDevKey, signDevToken } from '../lib/local/dev-tokens.ts';
import { STATE_DIR } from '../lib/local/state-dir.ts';
import { SCOPES } from '../functions/http/operation.ts';
import { importRoundTrip, roundTripFile } from './import-roundtrip-scenario.ts';
import { childMain, runInChild } from './child.ts';
import { table } from './stats.ts';

export const measureRoundTrip = async (rows: number): Promise<string[]> => {
  const runtime = await startRuntime({ port: 0, inMemory: true, schedulesEnabled: false });
  try {
    const authorization = `Bearer ${await signDevToken(loadDevKey(STATE_DIR), { sub: 'bench', tenant: 'bench-roundtrip', scopes: [SCOPES.read, SCOPES.write, SCOPES.admin] })}`;
    const seconds = await importRoundTrip({ baseUrl: runtime.baseUrl, authorization }, rows, (line) => process.stderr.write(`bench 16: ${line}\n`));
    const file = roundTripFile(rows);
    const perSecond = (n: number, s: number) => Math.round(n / s).toLocaleString('en');
    return [
      `${rows.toLocaleString('en')} rows (${Buffer.byteLength(file.csv).toLocaleString('en')} bytes): ${file.customers.size.toLocaleString('en')} customers, ${file.activities.toLocaleString('en')} activities referring to the row above them, ${file.bad.toLocaleString('en')} bad rows, ${file.duplicates.toLocaleString('en')} in-file duplicates. Every step checked: every line accounted for, each failure named, the re-run writing nothing, the export equal to what was imported (its count the tenant's), the revert leaving the tenant empty. DynamoDB Local and the runtime in one process with the bench (2 cores).`,
      '',
      ...table(
        ['step', 'seconds', 'rows/s'],
        [
          ['import (customers first, then the activities)', seconds.import!.toFixed(0), perSecond(rows, seconds.import!)],
          ['the same file again (nothing written)', seconds['re-run']!.toFixed(0), perSecond(rows, seconds['re-run']!)],
          ['export, NDJSON gzip (customers)', seconds.export!.toFixed(1), perSecond(file.customers.size, seconds.export!)],
          ['revert (activities first, then the customers)', seconds.revert!.toFixed(0), perSecond(rows, seconds.revert!)],
        ],
      ),
    ];
  } finally {
    await runtime.stop();
  }
};

export const runRoundTripInChild = (rows: number): string[] => runInChild<string[]>(import.meta.url, [String(rows)]);

await childMain(import.meta.url, ([rows]) => measureRoundTrip(Number(rows)));
