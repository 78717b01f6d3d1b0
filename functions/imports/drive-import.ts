/**
 * An import run in this process, step for step as the state machine runs it in AWS (split, the
 * manifest's chunks then the second manifest's, each with at most IMPORT_LIMITS.chunkConcurrency at once, finish): what `npm start` and the tests use, as
 * Step Functions Local has no Distributed Map.
 */
import type { Context } from 'aws-lambda';
import { IMPORT_LIMITS } from '../domain/imports.ts';
import { finishImport } from './finish-import.ts';
import { processChunk, TenantBusy } from './process-chunk.ts';
import { splitImport, type ChunkItem } from './split-import.ts';
import { readText } from '../storage/files/files.ts';

/** `chunkContext` makes a chunk's Lambda context, new for each chunk (its own time budget, as Lambda gives each invocation). */
export const driveImport = async (tenantId: string, importId: string, chunkContext: () => Context): Promise<void> => {
  const split = await splitImport(tenantId, importId);
  if (split.chunks > 0)
    for (const manifest of [split.manifest, split.childManifest]) {
      const items = JSON.parse((await readText(manifest)) ?? '[]') as ChunkItem[];
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(IMPORT_LIMITS.chunkConcurrency, items.length) }, async () => {
          while (next < items.length) {
            const item = items[next++]!;
            // As the state machine retries a chunk whose tenant was busy: again, until it runs.
            for (;;)
              try {
                await processChunk(item, chunkContext());
                break;
              } catch (error) {
                if (!(error instanceof TenantBusy)) throw error;
              }
          }
        }),
      );
    }
  await finishImport(tenantId, importId);
};
