/**
 * Starts the local runtime once per test run (`bin/local.ts --in-memory` as a child process, with
 * DynamoDB Local inside it) and hands its URLs to the tests. Unit tests ignore it; integration
 * tests use its DynamoDB Local; end-to-end tests talk HTTP to it.
 */
import type { TestProject } from 'vitest/node';
import { startRuntimeProcess, type RuntimeProcess } from './runtime-process.ts';

let runtime: RuntimeProcess | undefined;

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    dynamoDbEndpoint: string;
  }
}

export async function setup(project: TestProject): Promise<void> {
  runtime = await startRuntimeProcess(['--in-memory'], { RAPPORT_SCHEDULE_TIMERS: 'off' });
  project.provide('baseUrl', runtime.baseUrl);
  project.provide('dynamoDbEndpoint', runtime.dynamoDbEndpoint);
}

export async function teardown(): Promise<void> {
  await runtime?.stop();
}
