/**
 * `npm start`: runs Rapport on this machine (see README). `PORT` (default 3000); `--in-memory`
 * keeps nothing, otherwise data persists under `.rapport/`.
 */
import { startRuntime } from '../lib/local/runtime.ts';

const inMemory = process.argv.includes('--in-memory');
const port = Number(process.env.PORT ?? 3000);

// RAPPORT_SCHEDULE_TIMERS=off leaves the schedules to POST /_local/schedules/<name> (the tests do).
const schedulesEnabled = process.env.RAPPORT_SCHEDULE_TIMERS !== 'off';
// WEBHOOK_TIME_SCALE compresses the webhook retry schedule (0.001: the 27-hour schedule in under two minutes).
const webhookTimeScale = Number(process.env.WEBHOOK_TIME_SCALE ?? 1);
if (!(webhookTimeScale > 0)) {
  process.stderr.write(`WEBHOOK_TIME_SCALE must be a positive number, not '${process.env.WEBHOOK_TIME_SCALE}'\n`);
  process.exit(1);
}
const runtime = await startRuntime({ port, inMemory, schedulesEnabled, webhookTimeScale }).catch((error: Error) => {
  process.stderr.write(`Rapport could not start: ${error.message}\n`);
  process.exit(1);
});
process.stdout.write(`Rapport is running at ${runtime.baseUrl} (${inMemory ? 'in memory' : 'data in .rapport/'})\n`);
process.stdout.write(`  API reference: ${runtime.baseUrl}/docs   token: npm run token -- --sub <user> --tenant <tenant>\n`);

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${signal}: stopping\n`);
  void runtime.stop().finally(() => process.exit(0));
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown(signal));
process.on('uncaughtException', (error) => {
  process.stderr.write(`uncaught: ${error.stack}\n`);
  void runtime.stop().finally(() => process.exit(1));
});
