import { searchDocumentOf, searchFieldsOf, type SearchFields } from '../domain/search-model.ts';
import { getCustomerState } from '../storage/customers/customer-lifecycle.ts';
import { fieldDefinitionsInForce } from '../storage/fields/field-definitions.ts';
import { forgetCustomer, projectCustomer, projectGone } from '../storage/search/customer-search.ts';

/** The fields a tenant's customers are searched by: the built-in ones and its searchable custom fields (definitions cached per instance). */
export const tenantSearchFields = async (tenantId: string): Promise<SearchFields> =>
  searchFieldsOf([...(await fieldDefinitionsInForce(tenantId, 'customer')).values()]);

/**
 * Brings a customer's search row to the customer as DynamoDB holds it now (a strongly consistent
 * read): live, its document; deleted, merged or erased, a row with none; purged, no row. Whatever
 * event asked, and however late or often, the row ends at the newest version: the projection is
 * a function of the table, applied idempotently, in version order per customer.
 */
export const projectFromTable = async (tenantId: string, id: string): Promise<void> => {
  const state = await getCustomerState(tenantId, id);
  if (!state) return forgetCustomer(tenantId, id);
  if (state.state !== 'live') return projectGone(tenantId, id, state.state === 'erased' ? state.version : state.record.version);
  await projectCustomer(searchDocumentOf(state.record, await tenantSearchFields(tenantId)), state.record.version);
};
