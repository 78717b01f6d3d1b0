import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RuntimeProcess {
  child: ChildProcess;
  baseUrl: string;
  dynamoDbEndpoint: string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `bin/local.ts` as `npm start` does (PORT=0: any free port) and waits for its base URL;
 * `viaNpm` runs `npm start` itself, so the child is npm's process.
 */
export const startRuntimeProcess = async (args: string[], env: Record<string, string> = {}, viaNpm = false): Promise<RuntimeProcess> => {
  const [command, commandArgs] = viaNpm ? ['npm', ['start', '--', ...args]] : [process.execPath, ['--import', 'tsx', join(root, 'bin/local.ts'), ...args]];
  const child = spawn(command, commandArgs, {
    cwd: root,
    env: { ...process.env, PORT: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'ERROR', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`local runtime did not start in time:\n${output}`)), 90_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`local runtime exited with ${code}:\n${output}`)));
  });
  child.stdout!.resume();
  const health = (await (await fetch(`${baseUrl}/_local/health`)).json()) as { dynamoDbEndpoint: string };
  return {
    child,
    baseUrl,
    dynamoDbEndpoint: health.dynamoDbEndpoint,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
};
