/**
 * `npm start`: runs Rapport on this machine (see README). `PORT` (default 3000); `--in-memory`
 * keeps nothing, otherwise data persists under `.rapport/`.
 */
import { startRuntime } from '../lib/local/runtime.ts';
import { guardOutput, print, printError } from '../lib/local/output.ts';
import { stopOnSignalsAndFailures } from '../lib/local/shutdown.ts';

// Whoever reads the output may go away (`npm start | head`): a failed write is dropped, not an exception.
guardOutput();

const inMemory = process.argv.includes('--in-memory');
const port = Number(process.env.PORT ?? 3000);

// RAPPORT_SCHEDULE_TIMERS=off leaves the schedules to POST /_local/schedules/<name> (the tests do).
const schedulesEnabled = process.env.RAPPORT_SCHEDULE_TIMERS !== 'off';
// WEBHOOK_TIME_SCALE compresses the webhook retry schedule (0.001: the 27-hour schedule in under two minutes).
const webhookTimeScale = Number(process.env.WEBHOOK_TIME_SCALE ?? 1);
if (!(webhookTimeScale > 0)) {
  printError(`WEBHOOK_TIME_SCALE must be a positive number, not '${process.env.WEBHOOK_TIME_SCALE}'`);
  process.exit(1);
}
const runtime = await startRuntime({ port, inMemory, schedulesEnabled, webhookTimeScale }).catch((error: Error) => {
  printError(`Rapport could not start: ${error.message}`);
  process.exit(1);
});
print(`Rapport is running at ${runtime.baseUrl} (${inMemory ? 'in memory' : 'data in .rapport/'})`);
print(`  API reference: ${runtime.baseUrl}/docs   token: npm run token -- --sub <user> --tenant <tenant>`);

stopOnSignalsAndFailures(runtime);
