/**
 * Import jobs on one machine: a started job runs in this process (functions/imports/drive-import.ts,
 * the state machine's steps in order), in the background of the request that started it, as Step
 * Functions would run it beside the API. `settled()` waits for every run begun so far (the runtime's
 * shutdown, the tests).
 */
import { useLocalImportRuns } from '../../functions/imports/run-import.ts';
import { driveImport } from '../../functions/imports/drive-import.ts';
import { lambdaContext } from './functions.ts';
import { printError } from './output.ts';
import { SIZING } from '../sizing.ts';

const running = new Set<Promise<void>>();

/** A chunk's time, as its function has it in the stack (lib/sizing.ts). */
const CHUNK_MS = SIZING.importChunk.timeout.toMilliseconds();

export const useLocalImports = (): { settled(): Promise<void> } => {
  useLocalImportRuns((tenantId, importId) => {
    const run = driveImport(tenantId, importId, () => lambdaContext('processImportChunk', CHUNK_MS)).catch((error: unknown) =>
      printError(`import ${tenantId}/${importId} stopped: ${(error as Error).stack ?? String(error)}`),
    );
    running.add(run);
    void run.finally(() => running.delete(run));
  });
  return { settled: importsSettled };
};

/** Every import run begun so far, finished. */
export const importsSettled = async (): Promise<void> => {
  while (running.size > 0) await Promise.allSettled([...running]);
};
