import { existsSync } from 'node:fs';
import { TestRunner } from 'vitest';
import { CONTRACTS_DIR, contractFile } from '../../lib/contracts.ts';

/**
 * Inside a test: the path of a third-party contract file (lib/contracts.ts). When it is absent
 * the test is skipped with the reason and how to get the files — never passed — unless
 * RAPPORT_REQUIRE_CONTRACTS=1 (CI), where it fails.
 */
export const requireContract = (...parts: string[]): string => {
  const file = contractFile(...parts);
  if (existsSync(file)) return file;
  const reason = `needs ${parts.join('/')} in ${CONTRACTS_DIR}: the TMF629 and BIAN contract files, which Rapport's CI keeps beside the project as ../shared (set RAPPORT_CONTRACTS_DIR to where yours are)`;
  const test = TestRunner.getCurrentTest();
  if (process.env.RAPPORT_REQUIRE_CONTRACTS === '1' || !test) throw new Error(reason);
  test.context.skip(reason);
  throw new Error('unreachable: skip() ends the test');
};
