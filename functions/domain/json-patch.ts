import { jsonEqual } from './canonical-json.ts';

/** JSON Patch (RFC 6902) over plain JSON values, with JSON Pointer (RFC 6901) paths. Pure: the input is not mutated. */
export type PatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

export class JsonPatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPatchError';
  }
}

export const parsePointer = (pointer: string): string[] => {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`'${pointer}' is not a JSON Pointer (it must start with '/')`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
};

type Container = Record<string, unknown> | unknown[];
const isContainer = (v: unknown): v is Container => typeof v === 'object' && v !== null;

const arrayIndex = (array: unknown[], token: string, forInsert: boolean, pointer: string): number => {
  if (forInsert && token === '-') return array.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new JsonPatchError(`'${pointer}': '${token}' is not an array index`);
  const index = Number(token);
  if (index > array.length || (!forInsert && index === array.length)) throw new JsonPatchError(`'${pointer}': index ${index} is out of range`);
  return index;
};

const getAt = (doc: unknown, pointer: string): unknown => {
  let current = doc;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(current)) current = current[arrayIndex(current, token, false, pointer)];
    else if (isContainer(current) && Object.hasOwn(current, token)) current = (current as Record<string, unknown>)[token];
    else throw new JsonPatchError(`'${pointer}' does not exist`);
  }
  return current;
};

/** Returns the parent container (cloned along the path, so the original is untouched) and the last token. */
const cloneToParent = (root: { doc: unknown }, pointer: string): { parent: Container; token: string } => {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw new JsonPatchError('the whole document cannot be the target here');
  root.doc = shallowClone(root.doc);
  let current = root.doc;
  for (const token of tokens.slice(0, -1)) {
    if (!isContainer(current)) throw new JsonPatchError(`'${pointer}' does not exist`);
    const key = Array.isArray(current) ? arrayIndex(current, token, false, pointer) : token;
    const child = (current as Record<string | number, unknown>)[key];
    if (!isContainer(child)) throw new JsonPatchError(`'${pointer}' does not exist`);
    const copy = shallowClone(child);
    (current as Record<string | number, unknown>)[key] = copy;
    current = copy;
  }
  if (!isContainer(current)) throw new JsonPatchError(`'${pointer}' does not exist`);
  return { parent: current, token: tokens[tokens.length - 1]! };
};

const shallowClone = (v: unknown): unknown => (Array.isArray(v) ? [...v] : isContainer(v) ? { ...v } : v);

const add = (root: { doc: unknown }, pointer: string, value: unknown) => {
  if (pointer === '') {
    root.doc = value;
    return;
  }
  const { parent, token } = cloneToParent(root, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, token, true, pointer), 0, value);
  else parent[token] = value;
};

const remove = (root: { doc: unknown }, pointer: string): unknown => {
  const { parent, token } = cloneToParent(root, pointer);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, token, false, pointer), 1)[0];
  if (!Object.hasOwn(parent, token)) throw new JsonPatchError(`'${pointer}' does not exist`);
  const old = parent[token];
  delete parent[token];
  return old;
};

export const applyJsonPatch = (document: unknown, operations: readonly PatchOperation[]): unknown => {
  const root = { doc: document };
  operations.forEach((operation, i) => {
    try {
      switch (operation.op) {
        case 'add':
          add(root, operation.path, structuredClone(operation.value));
          break;
        case 'remove':
          remove(root, operation.path);
          break;
        case 'replace':
          getAt(root.doc, operation.path);
          remove(root, operation.path);
          add(root, operation.path, structuredClone(operation.value));
          break;
        case 'move': {
          if (operation.path.startsWith(`${operation.from}/`)) throw new JsonPatchError(`cannot move '${operation.from}' into itself`);
          const value = getAt(root.doc, operation.from);
          remove(root, operation.from);
          add(root, operation.path, value);
          break;
        }
        case 'copy':
          add(root, operation.path, structuredClone(getAt(root.doc, operation.from)));
          break;
        case 'test':
          if (!jsonEqual(getAt(root.doc, operation.path), operation.value)) throw new JsonPatchError(`test of '${operation.path}' failed`);
          break;
      }
    } catch (error) {
      if (error instanceof JsonPatchError) throw new JsonPatchError(`operation ${i} (${operation.op}): ${error.message}`);
      throw error;
    }
  });
  return root.doc;
};
