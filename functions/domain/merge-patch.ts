import { isJsonObject } from './canonical-json.ts';

/** JSON Merge Patch (RFC 7396): objects merge recursively, `null` removes, anything else replaces. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const applyMergePatch = (target: unknown, patch: unknown): unknown => {
  if (!isJsonObject(patch)) return patch;
  const result: Record<string, unknown> = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
};
