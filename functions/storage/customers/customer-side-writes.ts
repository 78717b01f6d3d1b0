import type { TransactItem } from '../table/transactions.ts';
import type { CustomerRecord } from './customer-items.ts';
import { customerCountChanges } from './counters.ts';
import { matchKeyChanges } from './match-keys.ts';

/**
 * What every write of a customer also writes in its transaction: its counts (counters.ts) and its
 * match keys (match-keys.ts). A create has no `before`, a delete no `after`.
 */
export const customerSideWrites = (before: CustomerRecord | undefined, after: CustomerRecord | undefined): TransactItem[] => [
  ...customerCountChanges(before, after),
  ...matchKeyChanges(before, after),
];
