/**
 * Starts the local runtime once per test run (`bin/local.ts --in-memory` as a child process, with
 * DynamoDB Local inside it) and hands its URLs to the tests. Unit tests ignore it; integration
 * tests use its DynamoDB Local; end-to-end tests talk HTTP to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let child: ChildProcess | undefined;

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    dynamoDbEndpoint: string;
  }
}

export async function setup(project: TestProject): Promise<void> {
  child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bin/local.ts'), '--in-memory'], {
    cwd: root,
    env: { ...process.env, PORT: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'ERROR' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`local runtime did not start in time:\n${output}`)), 90_000);
    child!.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child!.once('exit', (code) => reject(new Error(`local runtime exited with ${code}:\n${output}`)));
  });
  child.stdout!.resume();
  const health = (await (await fetch(`${baseUrl}/_local/health`)).json()) as { dynamoDbEndpoint: string };
  project.provide('baseUrl', baseUrl);
  project.provide('dynamoDbEndpoint', health.dynamoDbEndpoint);
}

export async function teardown(): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child!.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
