import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RuntimeProcess {
  child: ChildProcess;
  baseUrl: string;
  dynamoDbEndpoint: string;
  s3Endpoint: string;
  /** The runtime's own process (under npm and tsx when started through npm). */
  pid: number;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

export interface RuntimeProcessOptions {
  /** Runs `npm start` itself, so the child is npm's process. */
  viaNpm?: boolean;
  /** Starts it as a process group of its own, led by the child (as a shell job): `process.kill(-child.pid, signal)` signals all of it. */
  processGroup?: boolean;
  /** Hands its stderr to the test as a pipe (`child.stderr`) instead of passing it through to the test's own. */
  pipeStderr?: boolean;
}

/**
 * Starts `bin/local.ts` as `npm start` does (PORT=0: any free port) and waits for its base URL.
 */
export const startRuntimeProcess = async (args: string[], env: Record<string, string> = {}, options: RuntimeProcessOptions = {}): Promise<RuntimeProcess> => {
  const [command, commandArgs] = options.viaNpm
    ? ['npm', ['start', '--', ...args]]
    : [process.execPath, ['--import', 'tsx', join(root, 'bin/local.ts'), ...args]];
  const child = spawn(command, commandArgs, {
    cwd: root,
    env: { ...process.env, PORT: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'ERROR', ...env },
    stdio: ['ignore', 'pipe', options.pipeStderr ? 'pipe' : 'inherit'],
    detached: options.processGroup ?? false,
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
  child.stderr?.resume();
  const health = (await (await fetch(`${baseUrl}/_local/health`)).json()) as { dynamoDbEndpoint: string; s3Endpoint: string; pid: number };
  return {
    child,
    baseUrl,
    dynamoDbEndpoint: health.dynamoDbEndpoint,
    s3Endpoint: health.s3Endpoint,
    pid: health.pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
};
