import type { Request, Response } from '../http/kernel.ts';
import { customerLists, type CustomerFilters, type CustomerListPage, type PageRequest } from '../storage/customers/customer-lists.ts';
import { mayReach, shownToCaller, visibilityOf } from '../http/access.ts';
import { toCrmCustomer } from './customer-view.ts';
import { customerFields } from '../http/custom-values.ts';

/** The paging of a list's query, as its catalog entry parsed it (`limit` bounded there). */
export interface PageQuery {
  limit: number;
  cursor?: string | undefined;
}

/** `limit` and `cursor` of a list request (a bad cursor is 400 from storage). */
export const pageOf = (request: { query: PageQuery }): PageRequest => ({ limit: request.query.limit, cursor: request.query.cursor });

/** A page as the API answers it: the items, and `X-Next-Cursor` when there is more. */
export const pageResponse = (items: unknown[], next: string | undefined): Response => ({
  status: 200,
  body: items,
  headers: next ? { 'x-next-cursor': next } : {},
});

/**
 * A page of the list asked for, as the caller may read it: the list itself when their roles reach
 * the whole tenant; otherwise the customers they reach (their teams', their own, those shared with
 * them), narrowed the same way (`narrowed`: the asked list's own condition as filters).
 */
export const readableList = (
  request: Pick<Request<unknown>, 'caller'>,
  asked: () => Promise<CustomerListPage>,
  narrowed: { prefix?: string } & CustomerFilters,
  page: PageRequest,
): Promise<CustomerListPage> =>
  request.caller.access.read.tenant ? asked() : customerLists.visible(request.caller.tenantId, visibilityOf(request), narrowed, page);

/**
 * A page of customers in the CRM view, with the tenant's custom fields in force (read beside the
 * page): only those the caller reaches (an index entry may trail a change of owner or team by a
 * moment), each without the fields hidden from them.
 */
export const customerPageResponse = async (request: Pick<Request<unknown>, 'caller'>, list: Promise<CustomerListPage>): Promise<Response> => {
  const [page, fields] = await Promise.all([list, customerFields(request)]);
  return pageResponse(
    page.items.filter((record) => mayReach(request, record, 'read')).map((record) => toCrmCustomer(shownToCaller(request, record, fields), fields)),
    page.next,
  );
};
