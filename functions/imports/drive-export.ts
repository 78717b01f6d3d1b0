/**
 * An export run in this process, step for step as the export state machine runs it in AWS (begin,
 * every part — each run again until done, all at once — finish): what `npm start` and the tests use.
 */
import type { Context } from 'aws-lambda';
import { beginExport } from './begin-export.ts';
import { exportPart } from './export-part.ts';
import { finishExport } from './finish-export.ts';

/** `partContext` makes a part's Lambda context, new for each run of it (its own time budget). */
export const driveExport = async (tenantId: string, exportId: string, partContext: () => Context): Promise<void> => {
  const { parts } = await beginExport(tenantId, exportId);
  await Promise.all(
    parts.map(async ({ part }) => {
      while (!(await exportPart(tenantId, exportId, part, partContext())).done);
    }),
  );
  await finishExport(tenantId, exportId);
};
