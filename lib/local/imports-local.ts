/**
 * Import and export jobs on one machine: a started job runs in this process
 * (functions/imports/drive-import.ts, drive-export.ts: its state machine's steps in order), in the
 * background of the request that started it, as Step Functions would run it beside the API.
 * `settled()` waits for every run begun so far (the runtime's shutdown, the tests).
 */
import { useLocalJobRuns } from '../../functions/imports/run-import.ts';
import { driveImport } from '../../functions/imports/drive-import.ts';
import { driveExport } from '../../functions/imports/drive-export.ts';
import { lambdaContext } from './functions.ts';
import { printError } from './output.ts';
import { SIZING } from '../sizing.ts';

const running = new Set<Promise<void>>();

/** A chunk's time and an export part's, as their functions have them in the stack (lib/sizing.ts). */
const CHUNK_MS = SIZING.importChunk.timeout.toMilliseconds();
const PART_MS = SIZING.exportPart.timeout.toMilliseconds();

export const useLocalImports = (): { settled(): Promise<void> } => {
  useLocalJobRuns((kind, tenantId, id) => {
    const drive =
      kind === 'import'
        ? driveImport(tenantId, id, () => lambdaContext('processImportChunk', CHUNK_MS))
        : driveExport(tenantId, id, () => lambdaContext('exportPart', PART_MS));
    const run = drive.catch((error: unknown) => printError(`${kind} ${tenantId}/${id} stopped: ${(error as Error).stack ?? String(error)}`));
    running.add(run);
    void run.finally(() => running.delete(run));
  });
  return { settled: importsSettled };
};

/** Every import run begun so far, finished. */
export const importsSettled = async (): Promise<void> => {
  while (running.size > 0) await Promise.allSettled([...running]);
};
