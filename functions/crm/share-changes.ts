import type { Request, Response } from '../http/kernel.ts';
import { badRequest, unprocessable } from '../http/errors.ts';
import { checkTeam } from '../http/access.ts';
import { ACCESS_LIMITS, GRANTEE, sharesOf } from '../domain/access.ts';
import { changeCustomer } from './customer-changes.ts';

/**
 * Shares a customer with a user or team, or withdraws a share (issue 25): a change of the customer
 * (changeCustomer: 404 for one the caller may not see, 403 for one they may not change, If-Match,
 * retry), with CustomerShared or CustomerUnshared, the pointers that list it for the grantee
 * written in the same transaction. A share as it stands, or one already withdrawn, changes nothing.
 */
export const changeShareOf = async (request: Request, access: 'read' | 'write' | undefined): Promise<Response> => {
  const grantee = request.params.grantee!;
  if (!GRANTEE.test(grantee)) throw badRequest(`Invalid grantee '${grantee}': share with user:<id> or team:<id>.`);
  if (access !== undefined && grantee.startsWith('team:')) await checkTeam(request.caller.tenantId, grantee.slice('team:'.length));
  return changeCustomer(request, request.params.id!, (current) => {
    const shares = Object.fromEntries(sharesOf(current).map((share) => [share.grantee, share.access]));
    if (shares[grantee] === access) return { record: current, events: [] };
    if (access === undefined) delete shares[grantee];
    else {
      if (shares[grantee] === undefined && Object.keys(shares).length >= ACCESS_LIMITS.sharesPerCustomer)
        throw unprocessable(`A customer is shared with at most ${ACCESS_LIMITS.sharesPerCustomer} users and teams; withdraw one first.`);
      shares[grantee] = access;
    }
    const { shares: _old, ...rest } = current;
    return {
      record: { ...rest, ...(Object.keys(shares).length > 0 ? { shares } : {}), id: current.id, tenantId: current.tenantId, name: current.name },
      events: [
        access === undefined
          ? { type: 'CustomerUnshared', description: `Share with ${grantee} withdrawn`, data: { grantee } }
          : { type: 'CustomerShared', description: `Shared with ${grantee} to ${access}`, data: { grantee, access } },
      ],
    };
  });
};
