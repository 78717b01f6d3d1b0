import { join } from 'node:path';
import { operations } from '../../functions/catalog.ts';
import type { Operation } from '../../functions/http/operation.ts';
import { call, type CallOptions, type CallResult } from '../../lib/local/direct-call.ts';

type Handler = Parameters<typeof call>[0];
const ROOT = join(import.meta.dirname, '..', '..');

/** A catalog operation by its name. */
export const byName = (name: string): Operation => {
  const op = operations.find((o) => o.name === name);
  if (!op) throw new Error(`no operation ${name}`);
  return op;
};

/** Calls an operation by its catalog name through its real handler and middleware (lib/local/direct-call.ts). */
export const send = async (name: string, options: CallOptions): Promise<CallResult> => {
  const op = byName(name);
  const { handler } = (await import(join(ROOT, op.handler))) as { handler: Handler };
  return call(handler, op, options);
};
