import * as z from 'zod/mini';
import type { ZodMiniType } from 'zod/mini';
import type { core } from 'zod/mini';
import { badRequest } from './errors.ts';

/** What is parsed, for messages: its name, and what its members are called. */
export interface Subject {
  root: string;
  member: string;
}
/** A request body (or a value in it): fields. */
export const BODY: Subject = { root: 'body', member: 'field' };
/** The query: parameters. */
export const QUERY: Subject = { root: 'query', member: 'parameter' };

const describePath = (path: readonly PropertyKey[], subject: Subject): string =>
  path.length === 0
    ? subject.root
    : path
        .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
        .join('.')
        .replace(/\.\[/g, '[');

const describeIssue = (issue: core.$ZodIssue, subject: Subject): string => {
  const where = describePath(issue.path, subject);
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `${where} is required` : `${where} must be ${article(issue.expected)}`;
    case 'unrecognized_keys':
      return `${where} has unknown ${subject.member}${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
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
    case 'custom':
      return issue.message && issue.message !== 'Invalid input' ? `${where} ${issue.message}` : `${where} is invalid`;
    default:
      return issue.message && issue.message !== 'Invalid input' ? `${where}: ${issue.message}` : `${where} is invalid`;
  }
};

const article = (expected: string): string => (/^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`);

/** Parses `input` with `schema`; a violation is a 400 whose message names every offending field (or query parameter). */
export const parseWith = <T>(schema: ZodMiniType<T>, input: unknown, what = 'request', subject: Subject = BODY): T => {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const details = result.error.issues.slice(0, 10).map((issue) => describeIssue(issue, subject));
  throw badRequest(`Invalid ${what}: ${details.join('; ')}`);
};

/** A body shape with every member optional: a create's optional members (its required ones are set again after it). */
export const optionalShape = (shape: Record<string, ZodMiniType>): Record<string, ZodMiniType> =>
  Object.fromEntries(Object.entries(shape).map(([name, schema]) => [name, z.optional(schema)]));

/** A merge patch's body shape: every member optional, and `null` clearing any but those named `uncleared`. */
export const patchShape = (shape: Record<string, ZodMiniType>, uncleared: readonly string[]): Record<string, ZodMiniType> =>
  Object.fromEntries(Object.entries(shape).map(([name, schema]) => [name, uncleared.includes(name) ? z.optional(schema) : z.optional(z.nullable(schema))]));
