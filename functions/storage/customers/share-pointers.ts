import { sharesOf } from '../../domain/access.ts';
import { keys, nameSortKey } from '../table/keys.ts';
import { tableName } from '../table/db.ts';
import type { TransactItem } from '../table/transactions.ts';
import type { CustomerRecord } from './customer-items.ts';

/**
 * Where a shared customer is listed for its grantees (issue 25): one pointer item per share in the
 * customer's own collection (`SHARE#<grantee>`), carrying the grantee's list partition in the
 * byTeam index (`T#<t>#SHARED#<grantee>`) and the customer's name key, so the lists of a caller's
 * teams, their own customers and what is shared with them merge in one name order. Written in the
 * customer's own transactions when a share or the name changes; a delete takes them away, a
 * restore brings them back.
 */
export const SHARE_ENTITY = 'SHARE';

const pointerKey = (record: CustomerRecord, grantee: string) => ({ pk: keys.customer(record.tenantId, record.id).pk, sk: `SHARE#${grantee}` });

export const sharePointerChanges = (before: CustomerRecord | undefined, after: CustomerRecord | undefined): TransactItem[] => {
  const old = before ? sharesOf(before) : [];
  const now = after ? sharesOf(after) : [];
  const renamed = before !== undefined && after !== undefined && nameSortKey(before.name, before.id) !== nameSortKey(after.name, after.id);
  const had = new Map(old.map((share) => [share.grantee, share.access]));
  const keeps = new Set(now.map((share) => share.grantee));
  return [
    ...old
      .filter((share) => !keeps.has(share.grantee))
      .map((share): TransactItem => ({ Delete: { TableName: tableName(), Key: pointerKey(before!, share.grantee) } })),
    ...now
      .filter((share) => renamed || had.get(share.grantee) !== share.access)
      .map(
        (share): TransactItem => ({
          Put: {
            TableName: tableName(),
            Item: {
              ...pointerKey(after!, share.grantee),
              entity: SHARE_ENTITY,
              grantee: share.grantee,
              access: share.access,
              teamPk: keys.sharedWith(after!.tenantId, share.grantee),
              nameSk: nameSortKey(after!.name, after!.id),
            },
          },
        }),
      ),
  ];
};
