/**
 * Cursors: where a list stands, handed to the client as opaque base64url JSON. A cursor names its
 * list (kind, tenant and parameters), so one list's cursor is refused by another; its positions
 * are sort keys only — the partition keys are rebuilt from the caller's own tenant — so no cursor
 * can reach another tenant's items, and each position is checked against the list's key
 * condition and DynamoDB's key limits before any request.
 */
export class InvalidCursor extends Error {
  constructor(reason = 'cursor is not one this list gave out') {
    super(reason);
    this.name = 'InvalidCursor';
  }
}

/** DynamoDB's limit on a sort key, in UTF-8 bytes. */
const MAX_SORT_KEY_BYTES = 1024;

export type Position = string | null;

export const encodeCursor = (list: string, positions: Position[]): string => Buffer.from(JSON.stringify({ l: list, p: positions })).toString('base64url');

/**
 * The positions of a cursor of `list`, each either null (that shard is exhausted), '' (from the
 * start), or a sort key that `valid` accepts. Anything else is InvalidCursor.
 */
export const decodeCursor = (cursor: string, list: string, count: number, valid: (sortKey: string) => boolean): Position[] => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor();
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { l?: unknown }).l !== list) throw new InvalidCursor();
  const positions = (parsed as { p?: unknown }).p;
  if (!Array.isArray(positions) || positions.length !== count) throw new InvalidCursor();
  for (const position of positions) {
    if (position === null || position === '') continue;
    if (typeof position !== 'string' || Buffer.byteLength(position) > MAX_SORT_KEY_BYTES || !valid(position)) throw new InvalidCursor();
  }
  return positions as Position[];
};
