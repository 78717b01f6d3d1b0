import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './functions.ts';

/** Where the local runtime keeps its data and dev signing key: `.rapport/`, or RAPPORT_STATE_DIR. */
export const STATE_DIR = process.env.RAPPORT_STATE_DIR ?? join(PROJECT_ROOT, '.rapport');

/** 32 random bytes (base64url) kept in the state directory under `name`, or new ones for an in-memory run. */
const keptSecret = (name: string, inMemory: boolean): string => {
  if (inMemory) return randomBytes(32).toString('base64url');
  const file = join(STATE_DIR, name);
  if (!existsSync(file)) {
    mkdirSync(STATE_DIR, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
};

/**
 * The local runtime's list-cursor secret (what the stack keeps in Secrets Manager): kept in the
 * state directory so cursors outlive a restart; a new one for an in-memory run.
 */
export const cursorSecret = (inMemory: boolean): string => keptSecret('cursor-secret', inMemory);

/**
 * The local KMS key (what the stack's KMS key is to sealed secrets, local-kms.ts): kept in the
 * state directory so the secrets sealed under it open after a restart; a new one for an in-memory run.
 */
export const localKmsKey = (inMemory: boolean): Buffer => Buffer.from(keptSecret('kms-key', inMemory), 'base64url');
