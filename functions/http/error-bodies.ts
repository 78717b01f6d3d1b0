import type { Family } from './operation.ts';
import { REASONS, type HttpError } from './errors.ts';

/** The error body of the APIs under /api/v1 (the CRM seed's). */
const apiV1Error = (e: HttpError) => ({ title: REASONS[e.status] ?? 'Error', detail: e.message, time: new Date().toISOString() });

/** Each family renders errors in its own standard body. */
const renderers: Record<Family, (error: HttpError) => Record<string, string>> = {
  // TMF630 / TMF629 `Error`: code, reason, message, status (strings); `@type` as v5's Error requires.
  tmf629: (e) => ({
    '@type': 'Error',
    code: e.code,
    reason: REASONS[e.status] ?? 'Error',
    message: e.message,
    status: String(e.status),
  }),
  // The CRM seed's error body.
  crm: apiV1Error,
  // Webhooks and the event feed sit beside the CRM API under /api/v1 and answer in its body.
  webhooks: apiV1Error,
  fields: apiV1Error,
  access: apiV1Error,
  imports: apiV1Error,
  // BIAN `HTTPError`: all strings.
  'bian-crm': (e) => ({ status_code: String(e.status), status: REASONS[e.status] ?? 'Error', message: e.message }),
  'bian-casemgmt': (e) => ({ status_code: String(e.status), status: REASONS[e.status] ?? 'Error', message: e.message }),
};

export const renderError = (family: Family, error: HttpError): Record<string, string> => renderers[family](error);
