import * as z from 'zod/mini';
import type { ZodMiniType } from 'zod/mini';
import { limitParameter, type Operation, type ResponseSpec } from '../http/operation.ts';
import { Field, FieldCreate, FieldError, FieldsSchema, FieldUpdate } from './schemas.ts';

const json = 'application/json';
/** Where a tenant's custom fields of an object live: `/api/v1/fields/customer`. */
export const FIELDS_PATH = '/api/v1/fields';
const base = `${FIELDS_PATH}/{object}`;
const error = (description: string): ResponseSpec => ({ description, schema: FieldError });
const common = { 400: error('Bad Request'), 401: error('Unauthorized'), 403: error('Forbidden'), 404: error('Not Found') };
const one = (description: string, schema: ZodMiniType = Field) => ({ 200: { description, schema, headers: { ETag: 'string' } }, ...common });

/**
 * Custom fields (README, "Custom fields"): a tenant's own fields of an object (`customer`), as
 * data. Reading them takes the read scope; changing them the admin scope (`rapport/admin`).
 */
export const fields = {
  createField: {
    name: 'createField',
    family: 'fields',
    method: 'POST',
    path: base,
    handler: 'functions/fields/create-field.ts',
    access: 'admin',
    summary: 'Defines a custom field: key (immutable, never reused), label, type and constraints (Idempotency-Key honoured)',
    idempotent: true,
    responses: () => ({
      201: { description: 'The field', schema: Field, headers: { Location: 'string', ETag: 'string' } },
      ...common,
      409: error('The key is taken (keys are never reused, archived fields included)'),
      413: error('The definition is larger than a definition may be'),
      422: error('The tenant holds the most fields, or unique fields, it may'),
    }),
    request: { body: { [json]: FieldCreate } },
  },
  listFields: {
    name: 'listFields',
    family: 'fields',
    method: 'GET',
    path: base,
    handler: 'functions/fields/list-fields.ts',
    access: 'read',
    summary: "The tenant's fields of the object in key order, archived ones flagged (limit, cursor)",
    responses: () => ({
      200: { description: 'A page of fields', schema: z.array(Field), headers: { 'X-Next-Cursor': 'string' } },
      ...common,
    }),
    request: { query: z.strictObject({ limit: limitParameter(500, 100), cursor: z.optional(z.string()) }) },
  },
  getFieldsSchema: {
    name: 'getFieldsSchema',
    family: 'fields',
    method: 'GET',
    path: `${base}/schema`,
    handler: 'functions/fields/get-fields-schema.ts',
    access: 'read',
    summary: "The JSON Schema (2020-12) of the tenant's custom values of the object, to generate client types from",
    responses: () => ({ 200: { description: 'The JSON Schema', schema: FieldsSchema }, ...common }),
  },
  getField: {
    name: 'getField',
    family: 'fields',
    method: 'GET',
    path: `${base}/{key}`,
    handler: 'functions/fields/get-field.ts',
    access: 'read',
    summary: 'One field',
    responses: () => one('The field'),
  },
  updateField: {
    name: 'updateField',
    family: 'fields',
    method: 'PATCH',
    path: `${base}/{key}`,
    handler: 'functions/fields/update-field.ts',
    access: 'admin',
    summary: 'Changes a field (merge patch: label, constraints, options, safe type changes); in force everywhere within 5 s (If-Match honoured)',
    responses: () => ({ ...one('The field'), 412: error('Precondition Failed'), 413: error('The definition is larger than a definition may be') }),
    request: { body: { [json]: FieldUpdate } },
  },
  archiveField: {
    name: 'archiveField',
    family: 'fields',
    method: 'POST',
    path: `${base}/{key}/archive`,
    handler: 'functions/fields/archive-field.ts',
    access: 'admin',
    summary: 'Archives a field: hidden from every view and refused in writes, its stored values kept (If-Match honoured)',
    responses: () => ({ ...one('The field, archived'), 412: error('Precondition Failed') }),
  },
  restoreField: {
    name: 'restoreField',
    family: 'fields',
    method: 'POST',
    path: `${base}/{key}/restore`,
    handler: 'functions/fields/restore-field.ts',
    access: 'admin',
    summary: 'Restores an archived field: its stored values are shown again (If-Match honoured)',
    responses: () => ({ ...one('The field'), 412: error('Precondition Failed') }),
  },
} as const satisfies Record<string, Operation>;
