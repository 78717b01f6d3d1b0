/**
 * An import run in this process, step for step as the state machine runs it in AWS (split, the
 * chunks with at most IMPORT_LIMITS.chunkConcurrency at once, finish): what `npm start` and the tests use, as
 * Step Functions Local has no Distributed Map.
 */
import type { Context } from 'aws-lambda';
import { IMPORT_LIMITS } from '../domain/imports.ts';
import { finishImport } from './finish-import.ts';
import { processChunk } from './process-chunk.ts';
import { splitImport } from './split-import.ts';

/** `chunkContext` makes a chunk's Lambda context, new for each chunk (its own time budget, as Lambda gives each invocation). */
export const driveImport = async (tenantId: string, importId: string, chunkContext: () => Context): Promise<void> => {
  const { chunks } = await splitImport(tenantId, importId);
  let next = 1;
  await Promise.all(
    Array.from({ length: Math.min(IMPORT_LIMITS.chunkConcurrency, chunks) }, async () => {
      while (next <= chunks) await processChunk(tenantId, importId, next++, chunkContext());
    }),
  );
  await finishImport(tenantId, importId);
};
