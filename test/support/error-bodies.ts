import type { Family } from '../../functions/http/operation.ts';

/** The fields of each family's error body, as its contract defines it (functions/http/error-bodies.ts renders them). */
export const ERROR_FIELDS: Record<Family, string[]> = {
  tmf629: ['@type', 'code', 'message', 'reason', 'status'],
  crm: ['detail', 'time', 'title'],
  'bian-crm': ['message', 'status', 'status_code'],
  'bian-casemgmt': ['message', 'status', 'status_code'],
  webhooks: ['detail', 'time', 'title'],
  fields: ['detail', 'time', 'title'],
  access: ['detail', 'time', 'title'],
  imports: ['detail', 'time', 'title'],
};

/** Is `body` an error body of `family`, for `status`? */
export const isFamilyError = (family: Family, status: number, body: unknown): boolean => {
  if (typeof body !== 'object' || body === null) return false;
  const keys = Object.keys(body).sort();
  if (JSON.stringify(keys) !== JSON.stringify(ERROR_FIELDS[family])) return false;
  const record = body as Record<string, string>;
  return family === 'tmf629'
    ? record.status === String(status)
    : family === 'crm' || family === 'webhooks' || family === 'fields' || family === 'access' || family === 'imports'
      ? true
      : record.status_code === String(status);
};
