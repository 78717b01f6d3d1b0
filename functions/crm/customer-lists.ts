import type { Request, Response } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { decodeCursor, encodeCursor, InvalidCursor, queryCustomerPage, type IndexPageQuery } from '../storage/customers.ts';
import { toCrmCustomer } from './customer-view.ts';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

/** `limit` (1–200, default 50) and `cursor` of a list request; 400 when either is not valid. */
export const pageOf = (request: Request<unknown>): { limit: number; cursor?: Record<string, unknown> } => {
  const raw = request.query.limit;
  if (raw !== undefined && !/^[1-9][0-9]*$/.test(raw)) throw badRequest(`limit must be a whole number from 1 to ${MAX_PAGE}.`);
  const limit = raw === undefined ? DEFAULT_PAGE : Number(raw);
  if (limit > MAX_PAGE) throw badRequest(`limit must be at most ${MAX_PAGE}.`);
  try {
    return { limit, cursor: decodeCursor(request.query.cursor, request.caller.tenantId) };
  } catch (error) {
    if (error instanceof InvalidCursor) throw badRequest(`cursor: ${error.message}.`);
    throw error;
  }
};

/** A page as the API answers it: the items, and `X-Next-Cursor` when there is more. */
export const pageResponse = (items: unknown[], next: Record<string, unknown> | undefined): Response => {
  const cursor = encodeCursor(next);
  return { status: 200, body: items, headers: cursor ? { 'x-next-cursor': cursor } : {} };
};

/** One Query on one index for one page of customers, in the CRM view. */
export const customerPage = async (request: Request<unknown>, query: Omit<IndexPageQuery, 'limit' | 'cursor'>): Promise<Response> => {
  const page = await queryCustomerPage({ ...query, ...pageOf(request) });
  return pageResponse(page.items.map(toCrmCustomer), page.next);
};
