import type { Request, Response } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import type { CustomerListPage, PageRequest } from '../storage/customer-lists.ts';
import { toCrmCustomer } from './customer-view.ts';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

/** `limit` (1–200, default 50) and `cursor` of a list request; 400 when `limit` is not valid (a bad cursor is 400 from storage). */
export const pageOf = (request: Request<unknown>): PageRequest => {
  const raw = request.query.limit;
  if (raw !== undefined && !/^[1-9][0-9]*$/.test(raw)) throw badRequest(`limit must be a whole number from 1 to ${MAX_PAGE}.`);
  const limit = raw === undefined ? DEFAULT_PAGE : Number(raw);
  if (limit > MAX_PAGE) throw badRequest(`limit must be at most ${MAX_PAGE}.`);
  return { limit, cursor: request.query.cursor };
};

/** A page as the API answers it: the items, and `X-Next-Cursor` when there is more. */
export const pageResponse = (items: unknown[], next: string | undefined): Response => ({
  status: 200,
  body: items,
  headers: next ? { 'x-next-cursor': next } : {},
});

/** A page of customers in the CRM view. */
export const customerPageResponse = (page: CustomerListPage): Response => pageResponse(page.items.map(toCrmCustomer), page.next);
