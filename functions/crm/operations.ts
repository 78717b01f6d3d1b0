import * as z from 'zod/mini';
import type { ZodMiniType } from 'zod/mini';
import { operationsOf, type Operation, type ResponseSpec } from '../http/operation.ts';
import { CRM_BASE_PATH } from './customer-view.ts';
import {
  Activity, ActivityCreate, ActivityUpdate, CrmCustomer, CrmCustomerCreate, CrmCustomerUpdate, CrmError, CrmStatusChange,
  EnrichedCustomer, NextActionChange, Opportunity, OpportunityCreate, OpportunityUpdate,
} from './schemas.ts';

const json = 'application/json';
const base = CRM_BASE_PATH;
const error = (description: string): ResponseSpec => ({ description, schema: CrmError });
const common = { 400: error('Bad Request'), 401: error('Unauthorized'), 403: error('Forbidden') };
const one = (description: string, schema: ZodMiniType = CrmCustomer) => ({ 200: { description, schema, headers: { ETag: 'string' } }, ...common, 404: error('Not Found') });
const changed = (description: string) => ({ ...one(description), 412: error('Precondition Failed') });
const paging = { limit: z.optional(z.string().check(z.regex(/^[0-9]+$/))), cursor: z.optional(z.string()) };
const pagedQuery = z.strictObject(paging);
const page = (description: string, schema: ZodMiniType = CrmCustomer) => ({ 200: { description, schema: z.array(schema), headers: { 'X-Next-Cursor': 'string' } }, ...common });

const op = operationsOf('crm', 'crm', base);

/** The CRM customer API: the seed's eleven operations, then what a sales team needs around them. */
export const crm = {
  listCrmCustomersByOwner: op('listCrmCustomersByOwner', 'GET', '/by-owner/{ownerId}', 'list-customers-by-owner', 'read', 'Customers of an owner, by name (limit, cursor)', page('A page of customers'), { query: pagedQuery }),
  listCrmCustomersByStatus: op('listCrmCustomersByStatus', 'GET', '/by-status/{status}', 'list-customers-by-status', 'read', 'Customers in a CRM status, by name (limit, cursor)', page('A page of customers'), { query: pagedQuery }),
  listMyCrmCustomers: op('listMyCrmCustomers', 'GET', '/my', 'list-my-customers', 'read', "The caller's customers (owner = the token's sub)", page('A page of customers'), { query: pagedQuery }),
  listOverdueActions: op('listOverdueActions', 'GET', '/overdue-actions', 'list-overdue-actions', 'read', 'Customers whose next action is due before now, earliest first', page('A page of customers'), { query: pagedQuery }),
  getCrmCustomer: op('getCrmCustomer', 'GET', '/{id}', 'get-customer', 'read', 'The enriched customer: owner, the 10 newest activities, opportunities and the timeline (the 50 newest events, oldest first)', one('The enriched customer', EnrichedCustomer)),
  updateCrmStatus: op('updateCrmStatus', 'PATCH', '/{id}/crm-status', 'update-crm-status', 'write', 'Moves the customer along the CRM pipeline (409 for a forbidden move)', { ...changed('The customer'), 409: error('Conflict') }, { body: { [json]: CrmStatusChange } }),
  setNextAction: op('setNextAction', 'PATCH', '/{id}/next-action', 'set-next-action', 'write', 'Sets or clears the next action and its due date', changed('The customer'), { body: { [json]: NextActionChange } }),
  removeCrmOwner: op('removeCrmOwner', 'DELETE', '/{id}/owner', 'remove-owner', 'write', "Removes the customer's owner", changed('The customer')),
  assignCrmOwner: op('assignCrmOwner', 'PATCH', '/{id}/owner/{ownerId}', 'assign-owner', 'write', 'Assigns the customer to an owner', changed('The customer')),
  addCrmTag: op('addCrmTag', 'POST', '/{id}/tags/{tag}', 'add-tag', 'write', 'Adds a tag (a set: adding an existing tag changes nothing)', changed('The customer')),
  removeCrmTag: op('removeCrmTag', 'DELETE', '/{id}/tags/{tag}', 'remove-tag', 'write', 'Removes a tag (removing a missing tag changes nothing)', changed('The customer')),
  createCrmCustomer: { idempotent: true, ...op('createCrmCustomer', 'POST', '', 'create-customer', 'write', 'Creates a customer (Idempotency-Key honoured)',
    { 201: { description: 'Created', schema: CrmCustomer, headers: { Location: 'string', ETag: 'string' } }, ...common, 415: error('Unsupported Media Type'), 422: error('Idempotency-Key reused with another body') },
    { body: { [json]: CrmCustomerCreate } }) },
  updateCrmCustomer: op('updateCrmCustomer', 'PATCH', '/{id}', 'update-customer', 'write', 'Changes profile fields (null clears; If-Match honoured)', changed('The customer'), { body: { [json]: CrmCustomerUpdate } }),
  listCrmCustomers: op('listCrmCustomers', 'GET', '', 'list-customers', 'read', 'Customers by status, owner, tag and name prefix q (limit, cursor)', page('A page of customers'),
    { query: z.strictObject({ ...paging, status: z.optional(z.string()), ownerId: z.optional(z.string()), tag: z.optional(z.string()), q: z.optional(z.string().check(z.minLength(1))) }) }),
  createActivity: op('createActivity', 'POST', '/{id}/activities', 'create-activity', 'write', 'Logs or plans an activity with the customer',
    { 201: { description: 'Created', schema: Activity, headers: { Location: 'string', ETag: 'string' } }, ...common, 404: error('Not Found') }, { body: { [json]: ActivityCreate } }),
  listActivities: op('listActivities', 'GET', '/{id}/activities', 'list-activities', 'read', "The customer's activities, newest first (limit, cursor)", { ...page('A page of activities', Activity), 404: error('Not Found') }, { query: pagedQuery }),
  updateActivity: op('updateActivity', 'PATCH', '/{id}/activities/{activityId}', 'update-activity', 'write', 'Changes an activity (null clears; If-Match honoured)', { ...changed('The activity'), 200: { description: 'The activity', schema: Activity } }, { body: { [json]: ActivityUpdate } }),
  completeActivity: op('completeActivity', 'POST', '/{id}/activities/{activityId}/complete', 'complete-activity', 'write', 'Marks an activity completed (completing it again changes nothing)', { ...changed('The activity'), 200: { description: 'The activity', schema: Activity } }),
  createOpportunity: op('createOpportunity', 'POST', '/{id}/opportunities', 'create-opportunity', 'write', 'Opens an opportunity with the customer',
    { 201: { description: 'Created', schema: Opportunity, headers: { Location: 'string', ETag: 'string' } }, ...common, 404: error('Not Found') }, { body: { [json]: OpportunityCreate } }),
  listOpportunities: op('listOpportunities', 'GET', '/{id}/opportunities', 'list-opportunities', 'read', "The customer's opportunities, newest first (limit, cursor)", { ...page('A page of opportunities', Opportunity), 404: error('Not Found') }, { query: pagedQuery }),
  updateOpportunity: op('updateOpportunity', 'PATCH', '/{id}/opportunities/{opportunityId}', 'update-opportunity', 'write', 'Changes an opportunity; status moves NEW → … → WON | LOST (409 otherwise)',
    { ...changed('The opportunity'), 200: { description: 'The opportunity', schema: Opportunity }, 409: error('Conflict') }, { body: { [json]: OpportunityUpdate } }),
} satisfies Record<string, Operation>;
