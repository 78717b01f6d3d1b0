import type { Operation } from '../http/operation.ts';
import { TMF_BASE_PATH } from '../domain/customer-model.ts';
import { Customer, CustomerCreate, CustomerMergePatch, CustomerReplace, EventSubscription, EventSubscriptionInput, JsonPatch, TmfError } from './schemas.ts';

const json = 'application/json';
const errors = {
  400: { description: 'Bad Request', schema: TmfError },
  401: { description: 'Unauthorized', schema: TmfError },
  403: { description: 'Forbidden', schema: TmfError },
};

/** TMF629 Customer Management v4 operations, as the official v4.0.0 swagger names them. */
export const tmf629 = {
  listCustomer: {
    name: 'listCustomer',
    family: 'tmf629',
    method: 'GET',
    path: `${TMF_BASE_PATH}/customer`,
    handler: 'functions/tmf629/list-customer.ts',
    access: 'read',
    summary:
      'List or find Customer objects, by name. `fields`; `limit` (1–1000); `offset` (at most 2000: skipping reads index keys only); `cursor` (from X-Next-Cursor / Link rel="next", to read past that); equality filters on id, name, status, statusReason, @type, @baseType, @schemaLocation (a comma list matches any value; several parameters combine with AND). All filters run inside the name index, at most 32 index reads per page: a filtered page may hold fewer than `limit` customers and carry a cursor. X-Total-Count is exact and present for no filter, a single name, or id; absent for other filters (it would need a walk of the tenant).',
    responses: {
      200: { description: 'Success', headers: { 'X-Total-Count': 'integer', 'X-Result-Count': 'integer', 'X-Next-Cursor': 'string', Link: 'string' } },
      ...errors,
    },
  },
  retrieveCustomer: {
    name: 'retrieveCustomer',
    family: 'tmf629',
    method: 'GET',
    path: `${TMF_BASE_PATH}/customer/{id}`,
    handler: 'functions/tmf629/retrieve-customer.ts',
    access: 'read',
    summary: 'Retrieves a Customer by ID (fields)',
    responses: {
      200: { description: 'Success', schema: Customer, headers: { ETag: 'string' } },
      ...errors,
      404: { description: 'Not Found', schema: TmfError },
    },
  },
  createCustomer: {
    name: 'createCustomer',
    family: 'tmf629',
    method: 'POST',
    path: `${TMF_BASE_PATH}/customer`,
    handler: 'functions/tmf629/create-customer.ts',
    access: 'write',
    summary: 'Creates a Customer (Idempotency-Key honoured)',
    idempotent: true,
    request: { body: { [json]: CustomerCreate } },
    responses: {
      201: { description: 'Created', schema: Customer, headers: { Location: 'string', ETag: 'string' } },
      ...errors,
      415: { description: 'Unsupported Media Type', schema: TmfError },
      422: { description: 'Idempotency-Key reused with another body', schema: TmfError },
    },
  },
  patchCustomer: {
    name: 'patchCustomer',
    family: 'tmf629',
    method: 'PATCH',
    path: `${TMF_BASE_PATH}/customer/{id}`,
    handler: 'functions/tmf629/patch-customer.ts',
    access: 'write',
    summary: 'Updates partially a Customer (merge patch or JSON Patch; If-Match honoured)',
    request: {
      body: { [json]: CustomerMergePatch, 'application/merge-patch+json': CustomerMergePatch, 'application/json-patch+json': JsonPatch },
    },
    responses: {
      200: { description: 'Updated', schema: Customer, headers: { ETag: 'string' } },
      ...errors,
      404: { description: 'Not Found', schema: TmfError },
      412: { description: 'Precondition Failed', schema: TmfError },
      415: { description: 'Unsupported Media Type', schema: TmfError },
    },
  },
  replaceCustomer: {
    name: 'replaceCustomer',
    family: 'tmf629',
    method: 'PUT',
    path: `${TMF_BASE_PATH}/customer/{id}`,
    handler: 'functions/tmf629/replace-customer.ts',
    access: 'write',
    summary:
      'Replaces a Customer (full update, R18’s optional operation, offered on v4 as an extension): the body is the whole customer as a create takes it; attributes it leaves out are cleared (If-Match honoured)',
    request: { body: { [json]: CustomerReplace } },
    responses: {
      200: { description: 'Replaced', schema: Customer, headers: { ETag: 'string' } },
      ...errors,
      404: { description: 'Not Found', schema: TmfError },
      412: { description: 'Precondition Failed', schema: TmfError },
      415: { description: 'Unsupported Media Type', schema: TmfError },
    },
  },
  deleteCustomer: {
    name: 'deleteCustomer',
    family: 'tmf629',
    method: 'DELETE',
    path: `${TMF_BASE_PATH}/customer/{id}`,
    handler: 'functions/tmf629/delete-customer.ts',
    access: 'write',
    summary: 'Deletes a Customer (If-Match honoured)',
    responses: {
      204: { description: 'Deleted' },
      ...errors,
      404: { description: 'Not Found', schema: TmfError },
      412: { description: 'Precondition Failed', schema: TmfError },
    },
  },
  registerListener: {
    name: 'registerListener',
    family: 'tmf629',
    method: 'POST',
    path: `${TMF_BASE_PATH}/hub`,
    handler: 'functions/tmf629/register-listener.ts',
    access: 'write',
    summary: 'Registers a listener for Customer events (query: eventType=...); a tenant holds at most 100',
    request: { body: { [json]: EventSubscriptionInput } },
    responses: {
      201: { description: 'Subscribed', schema: EventSubscription, headers: { Location: 'string', ETag: 'string' } },
      ...errors,
      422: { description: 'The tenant already holds 100 registrations', schema: TmfError },
    },
  },
  unregisterListener: {
    name: 'unregisterListener',
    family: 'tmf629',
    method: 'DELETE',
    path: `${TMF_BASE_PATH}/hub/{id}`,
    handler: 'functions/tmf629/unregister-listener.ts',
    access: 'write',
    summary: 'Unregisters a listener (If-Match: 412 when it names another version than the registration’s "1")',
    responses: {
      204: { description: 'Deleted' },
      ...errors,
      404: { description: 'Not Found', schema: TmfError },
      412: { description: 'Precondition Failed', schema: TmfError },
    },
  },
} as const satisfies Record<string, Operation>;
