/**
 * TMF attribute selection (`?fields=a,b`): only the named first-level attributes are returned,
 * plus those the caller's contract always keeps (TMF629 v4 and v5: `id`, `href`, `@type`; v3:
 * none). Unknown names are reported so the caller gets a clear 400 rather than a silently empty answer.
 */
export const parseFields = (fields: string | undefined, known: readonly string[]): string[] | undefined => {
  if (fields === undefined) return undefined;
  const names = fields
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) throw new UnknownFieldError(unknown);
  return names;
};

export class UnknownFieldError extends Error {
  constructor(readonly fields: string[]) {
    super(`unknown attribute${fields.length > 1 ? 's' : ''} ${fields.map((f) => `'${f}'`).join(', ')}`);
    this.name = 'UnknownFieldError';
  }
}

export const selectFields = <T extends Record<string, unknown>>(resource: T, fields: string[] | undefined, alwaysKept: readonly string[]): Partial<T> => {
  if (fields === undefined) return resource;
  const keep = new Set([...alwaysKept, ...fields]);
  return Object.fromEntries(Object.entries(resource).filter(([key]) => keep.has(key))) as Partial<T>;
};
