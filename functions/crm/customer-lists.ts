import type { Request, Response } from '../http/kernel.ts';
import type { CustomerListPage, PageRequest } from '../storage/customers/customer-lists.ts';
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

/** A page of customers in the CRM view, with the tenant's custom fields in force (read beside the page). */
export const customerPageResponse = async (request: Pick<Request<unknown>, 'caller'>, list: Promise<CustomerListPage>): Promise<Response> => {
  const [page, fields] = await Promise.all([list, customerFields(request)]);
  return pageResponse(
    page.items.map((record) => toCrmCustomer(record, fields)),
    page.next,
  );
};
