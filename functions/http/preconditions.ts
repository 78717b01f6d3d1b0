import { preconditionFailed } from './errors.ts';

/** Strong entity tag of a versioned resource. */
export const etag = (version: number): string => `"${version}"`;

/**
 * Honours `If-Match`: absent or `*` passes; otherwise one of the listed tags must be the current
 * version's (weak tags compare by value), or the request fails with 412 and changes nothing.
 */
export const checkIfMatch = (headers: Record<string, string>, version: number): void => {
  const header = headers['if-match'];
  if (header === undefined || header.trim() === '*') return;
  const tags = header.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (!tags.includes(etag(version))) {
    throw preconditionFailed(`If-Match ${header} does not match the current version ${etag(version)}.`);
  }
};
