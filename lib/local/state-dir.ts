import { join } from 'node:path';
import { PROJECT_ROOT } from './functions.ts';

/** Where the local runtime keeps its data and dev signing key: `.rapport/`, or RAPPORT_STATE_DIR. */
export const STATE_DIR = process.env.RAPPORT_STATE_DIR ?? join(PROJECT_ROOT, '.rapport');
