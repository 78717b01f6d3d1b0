import { createHmac, timingSafeEqual } from 'node:crypto';
import { DYNAMODB_LIMITS } from './limits.ts';

/**
 * Cursors: where a list stands, handed to the client as opaque base64url JSON with an HMAC-SHA-256
 * tag under the deployment's cursor secret (`CURSOR_SECRET`: a Secrets Manager secret the stack
 * creates, a random key the local runtime keeps in its state directory). The tag covers the list
 * (kind, tenant and parameters), so a cursor is accepted only by the list that gave it out, for the
 * tenant it gave it to, unchanged: anything else is InvalidCursor (400). Its positions are sort keys
 * only — the partition keys are rebuilt from the caller's own tenant — and each is still checked
 * against the list's key condition and DynamoDB's key limits before any request.
 */
export class InvalidCursor extends Error {
  constructor(reason = 'cursor is not one this list gave out') {
    super(reason);
    this.name = 'InvalidCursor';
  }
}

export type Position = string | null;

const tagOf = (list: string, payload: string): Buffer => {
  const secret = process.env.CURSOR_SECRET;
  if (!secret) throw new Error('CURSOR_SECRET is not set: the stack and the local runtime set it for every function.');
  return createHmac('sha256', secret).update(list).update('\n').update(payload).digest().subarray(0, 16);
};

/** A cursor of `list` holding `body` (JSON), tagged. */
const sealCursor = (list: string, body: Record<string, unknown>): string => {
  const payload = Buffer.from(JSON.stringify({ l: list, ...body })).toString('base64url');
  return `${payload}.${tagOf(list, payload).toString('base64url')}`;
};

/** What a cursor of `list` holds, if its tag is this deployment's for `list` and it names `list`; anything else is InvalidCursor. */
const openCursor = (cursor: string, list: string): Record<string, unknown> => {
  const [payload, tag, ...rest] = cursor.split('.');
  if (!payload || !tag || rest.length > 0) throw new InvalidCursor();
  const given = Buffer.from(tag, 'base64url');
  const expected = tagOf(list, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor();
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { l?: unknown }).l !== list) throw new InvalidCursor();
  return parsed as Record<string, unknown>;
};

export const encodeCursor = (list: string, positions: Position[]): string => sealCursor(list, { p: positions });

/**
 * The positions of a cursor of `list`, each either null (that shard is exhausted), '' (from the
 * start), or a sort key that `valid` accepts. Anything else is InvalidCursor.
 */
export const decodeCursor = (cursor: string, list: string, count: number, valid: (sortKey: string) => boolean): Position[] => {
  const positions = openCursor(cursor, list).p;
  if (!Array.isArray(positions) || positions.length !== count) throw new InvalidCursor();
  for (const position of positions) {
    if (position === null || position === '') continue;
    if (typeof position !== 'string' || Buffer.byteLength(position) > DYNAMODB_LIMITS.sortKeyBytes || !valid(position)) throw new InvalidCursor();
  }
  return positions as Position[];
};

/** A cursor holding any JSON value (a search's last sort values), tagged for `list` as the others are. */
export const encodeValueCursor = (list: string, value: unknown): string => sealCursor(list, { v: value });

/** The value of a cursor `encodeValueCursor` gave out for `list`; anything else is InvalidCursor. The caller checks its shape. */
export const decodeValueCursor = (cursor: string, list: string): unknown => openCursor(cursor, list).v;
