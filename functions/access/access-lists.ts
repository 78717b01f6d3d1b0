import type { Request, Response } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { etag } from '../http/preconditions.ts';
import { getAccessEntry, listAccessEntries, type AccessKind } from '../storage/access/access-config.ts';
import { BUILT_IN_ROLES } from '../domain/access.ts';
import { entryNotFound, entryView } from './access-changes.ts';
import { ENTRY_ID } from './schemas.ts';

/**
 * Reading the access model: a page of a kind's entries in id order (one Query; the cursor is the
 * last id of the page before), one entry with its ETag, a built-in role.
 */
export const listPage = async (request: Request<unknown, { limit: number; cursor?: string }>, kind: Exclude<AccessKind, 'settings'>): Promise<Response> => {
  const { limit, cursor } = request.query;
  if (cursor !== undefined && !ENTRY_ID.test(cursor)) throw badRequest('cursor: not a cursor of this list.');
  const page = await listAccessEntries(request.caller.tenantId, kind, { limit, after: cursor });
  return {
    status: 200,
    body: page.entries.map((entry) => (kind === 'role' ? { ...entryView(entry), builtIn: false } : entryView(entry))),
    headers: page.next ? { 'x-next-cursor': page.next } : {},
  };
};

/** One entry (404 without one, or for an id no entry can have), with its ETag. */
export const oneEntry = async (request: Request<unknown>, kind: Exclude<AccessKind, 'settings'>, id: string): Promise<Response> => {
  const entry = ENTRY_ID.test(id) ? await getAccessEntry(request.caller.tenantId, kind, id) : undefined;
  if (!entry) throw entryNotFound(kind, id);
  return { status: 200, body: kind === 'role' ? { ...entryView(entry), builtIn: false } : entryView(entry), headers: { etag: etag(entry.version) } };
};

/** A built-in role as the API shows it (no version: it never changes). */
export const builtInView = (name: string): Record<string, unknown> | undefined => {
  const role = BUILT_IN_ROLES.find((r) => r.name === name);
  return role && { ...role, builtIn: true };
};
