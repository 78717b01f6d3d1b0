import type { ZodMiniType } from 'zod/mini';
import type { core } from 'zod/mini';
import { badRequest } from './errors.ts';

const describePath = (path: readonly PropertyKey[]): string =>
  path.length === 0
    ? 'body'
    : path
        .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
        .join('.')
        .replace(/\.\[/g, '[');

const describeIssue = (issue: core.$ZodIssue): string => {
  const where = describePath(issue.path);
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `${where} is required` : `${where} must be ${article(issue.expected)}`;
    case 'unrecognized_keys':
      return `${where} has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    case 'invalid_value':
      if (issue.input === undefined) return `${where} is required`;
      return `${where} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string' ? `${where} must not be empty` : `${where} must have at least ${issue.minimum} entries`;
    case 'too_big':
      return `${where} must be at most ${issue.maximum}${issue.origin === 'string' ? ' characters' : ''}`;
    case 'invalid_format':
      return `${where} must be a valid ${issue.format}`;
    case 'invalid_union':
      return `${where} does not match any allowed form`;
    default:
      return issue.message && issue.message !== 'Invalid input' ? `${where}: ${issue.message}` : `${where} is invalid`;
  }
};

const article = (expected: string): string => (/^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`);

/** Parses `input` with `schema`; a violation is a 400 whose message names every offending field. */
export const parseWith = <T>(schema: ZodMiniType<T>, input: unknown, what = 'request'): T => {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const details = result.error.issues.slice(0, 10).map(describeIssue);
  throw badRequest(`Invalid ${what}: ${details.join('; ')}`);
};
