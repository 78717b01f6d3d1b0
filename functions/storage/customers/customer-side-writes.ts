import type { TransactItem } from '../table/transactions.ts';
import type { CustomerRecord } from './customer-items.ts';
import { customerCountChanges } from './counters.ts';
import { matchKeyChanges } from './match-keys.ts';
import { uniqueClaimChanges } from './unique-values.ts';
import { sharePointerChanges } from './share-pointers.ts';

/**
 * What every write of a customer also writes in its transaction: its counts (counters.ts), its
 * match keys (match-keys.ts) and the claims of its unique custom values (unique-values.ts; the
 * transaction goes through `transactCustomer`, which names a value another customer holds), and the
 * pointers that list it for those it is shared with (share-pointers.ts). A
 * create has no `before`, a delete no `after`; `tenantCount: false` leaves the tenant's count to the
 * writer (a bulk import's chunk adds it once for all it created).
 */
export const customerSideWrites = (before: CustomerRecord | undefined, after: CustomerRecord | undefined, tenantCount = true): TransactItem[] => [
  ...customerCountChanges(before, after, tenantCount),
  ...matchKeyChanges(before, after),
  ...uniqueClaimChanges(before, after),
  ...sharePointerChanges(before, after),
];
