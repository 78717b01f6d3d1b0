import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './functions.ts';

/** Where the local runtime keeps its data and dev signing key: `.rapport/`, or RAPPORT_STATE_DIR. */
export const STATE_DIR = process.env.RAPPORT_STATE_DIR ?? join(PROJECT_ROOT, '.rapport');

/**
 * The local runtime's list-cursor secret (what the stack keeps in Secrets Manager): kept in the
 * state directory so cursors outlive a restart; a new one for an in-memory run.
 */
export const cursorSecret = (inMemory: boolean): string => {
  if (inMemory) return randomBytes(32).toString('base64url');
  const file = join(STATE_DIR, 'cursor-secret');
  if (!existsSync(file)) {
    mkdirSync(STATE_DIR, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
};
