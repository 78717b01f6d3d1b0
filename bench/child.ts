/**
 * Runs a bench module in a Node process of its own and returns what it measured, for tables that
 * need a fresh DynamoDB Local or their own handler configuration (the handlers' DynamoDB client
 * takes its endpoint once, when it is created).
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RESULT = 'BENCH-RESULT:';

/**
 * A child's environment: the handlers' metrics (EMF lines on stdout, several a request) left out —
 * stdout carries the result, and a long run's metrics would outgrow the buffer that holds it (a
 * 100,000-row import's did: the child was killed).
 */
const CHILD_ENV = { ...process.env, POWERTOOLS_METRICS_DISABLED: 'true' };

const resultOf = <T>(moduleUrl: string, args: string[], status: number | null, stdout: string): T => {
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT));
  if (status !== 0 || !line) throw new Error(`${fileURLToPath(moduleUrl)} ${args.join(' ')} failed (exit ${status})`);
  return JSON.parse(line.slice(RESULT.length)) as T;
};

export const runInChild = <T>(moduleUrl: string, args: string[]): T => {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(moduleUrl), ...args], {
    env: CHILD_ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  return resultOf(moduleUrl, args, child.status, child.stdout);
};

/** `runInChild` without blocking this process, for a child that calls a loopback server this process runs. */
export const runInChildAsync = <T>(moduleUrl: string, args: string[]): Promise<T> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(moduleUrl), ...args], { env: CHILD_ENV, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject).on('close', (status) => {
      try {
        resolve(resultOf<T>(moduleUrl, args, status, stdout));
      } catch (error) {
        reject(error);
      }
    });
  });

/** When `moduleUrl` is the process's entry point: runs `measure` with the arguments and hands its result to the parent. */
export const childMain = async (moduleUrl: string, measure: (args: string[]) => Promise<unknown>): Promise<void> => {
  if (process.argv[1] !== fileURLToPath(moduleUrl)) return;
  process.stdout.write(`\n${RESULT}${JSON.stringify(await measure(process.argv.slice(2)))}\n`);
};
