import { join, resolve } from 'node:path';

/**
 * Where the third-party contract files live: TM Forum's TMF629 files and conformance kit, BIAN's
 * v12 specs. They are not part of this repository (their licences are their owners'); Rapport's
 * own CI has them beside the project as `../shared`. `RAPPORT_CONTRACTS_DIR` points elsewhere.
 * Tests that need them are skipped, saying why, when they are absent — and fail instead when
 * `RAPPORT_REQUIRE_CONTRACTS=1` (as CI sets it), so a missing file can never pass unnoticed.
 */
export const CONTRACTS_DIR = resolve(process.env.RAPPORT_CONTRACTS_DIR ?? join(import.meta.dirname, '..', '..', 'shared'));

export const contractFile = (...parts: string[]): string => join(CONTRACTS_DIR, ...parts);
