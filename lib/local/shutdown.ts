/**
 * How `npm start` ends: a signal (SIGINT, SIGTERM, SIGHUP — to its pid or to its process group) or
 * an error nothing handled stops the runtime, once, within a deadline.
 */
import { print, printError } from './output.ts';

/** How long stopping may take: then DynamoDB Local is killed and the process exits anyway. */
export const STOP_DEADLINE_MS = 3_000;

export interface Stoppable {
  stop(): Promise<void>;
  kill(): void;
}

export interface Shutdown {
  /** Stops the runtime and exits with `exitCode`; once, whatever asks first: later requests change nothing. */
  stop(reason: string, exitCode: number): void;
  /** An error nothing handled: reported, then the run stops (exit code 1). Never throws. */
  fail(kind: string, error: unknown): void;
}

/** What the shutdown uses of the process (the unit tests hand in their own). */
export interface ShutdownOptions {
  exit?: (code: number) => void;
  print?: (line: string) => void;
  printError?: (line: string) => void;
  deadlineMs?: number;
}

export const shutdownOf = (runtime: Stoppable, options: ShutdownOptions = {}): Shutdown => {
  const { exit = process.exit, deadlineMs = STOP_DEADLINE_MS } = options;
  const say = options.print ?? print;
  const report = options.printError ?? printError;
  let stopping = false;
  let exited = false;
  const exitOnce = (code: number): void => {
    if (exited) return;
    exited = true;
    exit(code);
  };
  const stop = (reason: string, exitCode: number): void => {
    if (stopping) return;
    stopping = true;
    say(`\n${reason}: stopping`);
    setTimeout(() => {
      if (exited) return;
      report(`Rapport did not stop within ${deadlineMs / 1000} s: killing DynamoDB Local and exiting`);
      runtime.kill();
      exitOnce(exitCode);
    }, deadlineMs);
    runtime.stop().then(
      () => exitOnce(exitCode),
      () => exitOnce(exitCode),
    );
  };
  return {
    stop,
    fail(kind, error) {
      try {
        report(`${kind}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      } catch {
        // the error could not be rendered: the run stops all the same
      }
      stop(kind, 1);
    },
  };
};

/** Signals and unhandled errors of this process stop the runtime. */
export const stopOnSignalsAndFailures = (runtime: Stoppable): void => {
  const shutdown = shutdownOf(runtime);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown.stop(signal, 0));
  process.on('uncaughtException', (error) => shutdown.fail('uncaught exception', error));
  process.on('unhandledRejection', (reason) => shutdown.fail('unhandled rejection', reason));
};
