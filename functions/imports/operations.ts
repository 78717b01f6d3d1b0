import * as z from 'zod/mini';
import { limitParameter, type ResponseSpec } from '../http/operation.ts';
import { OUTCOMES } from '../domain/imports.ts';
import { ExportCreate, ExportJobView, ImportCreate, ImportError, ImportJobView, ImportResultsPage, ImportStart } from './schemas.ts';

const json = 'application/json';
export const IMPORTS_PATH = '/api/v1/imports';
export const EXPORTS_PATH = '/api/v1/exports';
const error = (description: string): ResponseSpec => ({ description, schema: ImportError });
const common = { 400: error('Bad Request'), 401: error('Unauthorized'), 403: error('Forbidden') };

/** The answers of a job's move (start, cancel): the job as it now stands, or why it could not move. */
const moved = (description: string, refused: string): Record<number, ResponseSpec> => ({
  202: { description, schema: ImportJobView, headers: { ETag: 'string' } },
  ...common,
  404: error('Not Found'),
  409: error(refused),
  412: error('Precondition Failed'),
});

/** Largest page of line results. */
export const MAX_RESULTS_PAGE = 1000;

/**
 * Bulk import (issue 27): a job is created with its spec, its file uploaded straight to S3 through
 * presigned multipart URLs (API Gateway takes at most 10 MB a body), then started; its chunks run
 * in parallel (Step Functions Distributed Map in AWS, in-process locally) and every line gets an
 * outcome.
 */
export const imports = {
  createImport: {
    name: 'createImport',
    family: 'imports',
    method: 'POST',
    path: IMPORTS_PATH,
    handler: 'functions/imports/create-import.ts',
    access: 'write',
    summary: 'Creates an import job and answers where to upload its file, part by part (Idempotency-Key honoured)',
    idempotent: true,
    files: true,
    responses: () => ({ 201: { description: 'The job, awaiting its upload', schema: ImportJobView, headers: { Location: 'string' } }, ...common }),
    request: { body: { [json]: ImportCreate } },
  },
  renewImportUpload: {
    name: 'renewImportUpload',
    family: 'imports',
    method: 'POST',
    path: `${IMPORTS_PATH}/{id}/upload`,
    handler: 'functions/imports/renew-import-upload.ts',
    access: 'write',
    files: true,
    summary: 'Where to send the file again, while the job awaits it: fresh presigned URLs of every part (an upload resumed after its URLs expired)',
    responses: () => ({
      200: { description: 'The job, with its upload’s URLs', schema: ImportJobView, headers: { ETag: 'string' } },
      ...common,
      404: error('Not Found'),
      409: error('The job no longer awaits its file'),
    }),
  },
  startImport: {
    name: 'startImport',
    family: 'imports',
    method: 'POST',
    path: `${IMPORTS_PATH}/{id}/start`,
    handler: 'functions/imports/start-import.ts',
    access: 'write',
    files: true,
    summary: 'Completes the upload (the parts and their ETags) and starts the job; a job started before answers as it stands',
    responses: () => moved('The job, queued', 'The upload is not complete'),
    request: { body: { [json]: ImportStart } },
  },
  cancelImport: {
    name: 'cancelImport',
    family: 'imports',
    method: 'POST',
    path: `${IMPORTS_PATH}/{id}/cancel`,
    handler: 'functions/imports/cancel-import.ts',
    access: 'write',
    files: true,
    summary: 'Cancels a job that has not ended: its upload is dropped, and its run stops at the next chunk (rows already written stay)',
    responses: () => moved('The job, cancelled', 'The job has ended'),
  },
  revertImport: {
    name: 'revertImport',
    family: 'imports',
    method: 'POST',
    path: `${IMPORTS_PATH}/{id}/revert`,
    handler: 'functions/imports/revert-import.ts',
    access: 'write',
    files: true,
    summary:
      'Reverts an import that has ended: a revert job deletes what it created and puts back what it updated, unless changed since (listed); asked again, answers that job as it stands',
    responses: () => ({
      202: { description: 'The revert job', schema: ImportJobView, headers: { ETag: 'string', Location: 'string' } },
      ...common,
      404: error('Not Found'),
      409: error('The import has not ended, or wrote nothing'),
      412: error('Precondition Failed'),
    }),
  },
  getImport: {
    name: 'getImport',
    family: 'imports',
    method: 'GET',
    path: `${IMPORTS_PATH}/{id}`,
    handler: 'functions/imports/get-import.ts',
    access: 'read',
    summary: 'An import job: where it stands, its counts, its progress (rows a second, an estimate of the end)',
    responses: () => ({ 200: { description: 'The job', schema: ImportJobView, headers: { ETag: 'string' } }, ...common, 404: error('Not Found') }),
    request: { query: z.strictObject({}) },
  },
  listImportResults: {
    name: 'listImportResults',
    family: 'imports',
    method: 'GET',
    path: `${IMPORTS_PATH}/{id}/results`,
    handler: 'functions/imports/list-import-results.ts',
    access: 'read',
    files: true,
    summary: `The job's line results in line order, optionally of one outcome (${OUTCOMES.join(', ')}); a page reads at most 5 chunks' results; with \`Accept: text/csv\` the page is CSV, its next cursor in X-Next-Cursor`,
    responses: () => ({ 200: { description: 'A page of line results', schema: ImportResultsPage }, ...common, 404: error('Not Found') }),
    request: {
      query: z.strictObject({
        outcome: z.optional(z.enum(OUTCOMES)),
        limit: limitParameter(MAX_RESULTS_PAGE, 100),
        cursor: z.optional(z.string().check(z.maxLength(2048))),
      }),
    },
  },
  createExport: {
    name: 'createExport',
    family: 'imports',
    method: 'POST',
    path: EXPORTS_PATH,
    handler: 'functions/imports/create-export.ts',
    access: 'admin',
    summary:
      "Creates an export of the tenant's customers (NDJSON or CSV, gzip files with a manifest), or with since (an earlier export) of those changed and gone since; Idempotency-Key honoured",
    idempotent: true,
    files: true,
    responses: () => ({
      201: { description: 'The export, queued', schema: ExportJobView, headers: { Location: 'string' } },
      ...common,
      422: error('Unprocessable Entity'),
    }),
    request: { body: { [json]: ExportCreate } },
  },
  getExport: {
    name: 'getExport',
    family: 'imports',
    method: 'GET',
    path: `${EXPORTS_PATH}/{id}`,
    handler: 'functions/imports/get-export.ts',
    access: 'admin',
    files: true,
    summary: 'An export: where it stands; once completed, its manifest with a presigned URL per file (15 minutes)',
    responses: () => ({ 200: { description: 'The export', schema: ExportJobView }, ...common, 404: error('Not Found') }),
    request: { query: z.strictObject({}) },
  },
} as const;
