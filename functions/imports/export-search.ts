import type { ExportSearch } from '../domain/exports.ts';
import { searchCondition, searchFieldsOf, type Condition, type SearchFields } from '../domain/search-model.ts';
import { fieldDefinitionsInForce } from '../storage/fields/field-definitions.ts';

/**
 * A filtered export's search as the query model reads it (domain/search-model.ts): the tenant's
 * searchable fields (every one: an export is an admin's, who reads every field) and the condition
 * its filter and `q` make, relative dates read as of `now` (the export's creation, so every page
 * of it asks the same). A query the model refuses throws its QueryProblem (the create answers 400).
 */
export const exportSearchQuery = async (tenantId: string, search: ExportSearch, now: number): Promise<{ fields: SearchFields; filter?: Condition }> => {
  const fields = searchFieldsOf([...(await fieldDefinitionsInForce(tenantId, 'customer')).values()]);
  const filter = await searchCondition(search, fields, now, 'search.filter');
  return { fields, ...(filter ? { filter } : {}) };
};
