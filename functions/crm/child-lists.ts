import type { Request, Response } from '../http/kernel.ts';
import { reachable } from '../http/access.ts';
import { getCustomer } from '../storage/customers/customers.ts';
import { listChildren, type ChildKind } from '../storage/customers/customer-children.ts';
import { childView } from './child-changes.ts';
import { customerNotFound } from './customer-changes.ts';
import { pageOf, pageResponse, type PageQuery } from './customer-lists.ts';

/** A page of a customer's activities or opportunities; 404 when the customer does not exist. */
export const listChildPage = async (request: Request<unknown, PageQuery>, kind: ChildKind): Promise<Response> => {
  const { limit, cursor } = pageOf(request);
  const customerId = request.params.id!;
  const [page, customer] = await Promise.all([
    listChildren(kind, request.caller.tenantId, customerId, limit, cursor),
    // A cursor stands for a customer read already, unless the caller's reach is narrower than the tenant.
    cursor && request.caller.access.read.tenant ? Promise.resolve({}) : getCustomer(request.caller.tenantId, customerId),
  ]);
  if (!reachable(request, customer, 'read')) throw customerNotFound(customerId);
  return pageResponse(page.items.map(childView), page.next);
};
