/**
 * How a TMF629 generation shows the stored customer and stores what it is given, attribute by
 * attribute (`functions/domain/tmf629/generations.ts` puts the three together). Three rules make
 * one customer readable and writable through every generation without loss:
 *
 * 1. A generation shows an item only when its own schema can hold it (a v4 account without a
 *    name is not shown in v4); the stored item stays, and the generation's writes keep it.
 * 2. An item a generation sends back exactly as it showed it is kept exactly as stored, so what
 *    the generation could not express of it (a v4 characteristic's number value in v3, which
 *    shows it as text) survives the round trip.
 * 3. Attributes a generation does not know at all (v3's `type`, v5's `role`) are kept by its
 *    writes; only the attributes it knows are replaced.
 */
import { isJsonObject, jsonEqual } from '../canonical-json.ts';

export type Json = Record<string, unknown>;

/** How one generation shows a stored item (undefined: it cannot), and the item it stores for one it was given. */
export interface ItemMapping {
  show(stored: Json): Json | undefined;
  take(given: Json): Json;
}

/** How a generation maps one of its first-level attributes onto the stored customer. */
export type AttributeMapping =
  | { stored: string; kind: 'value' }
  | { stored: string; kind: 'one'; item: ItemMapping }
  | { stored: string; kind: 'list'; item: ItemMapping };

/** A schema of the generation's own for one item: what it may show (and takes). */
export interface ItemSchema {
  safeParse(value: unknown): { success: boolean };
}

const identity: ItemMapping = { show: (item) => item, take: (item) => item };

/**
 * The mapping, showing only what the generation's own schema of the item accepts (rule 1): so a
 * generation never shows an item it would refuse to be given back.
 */
export const shownIf = (schema: ItemSchema, mapping: ItemMapping = identity): ItemMapping => ({
  show: (stored) => {
    const shown = mapping.show(stored);
    return shown !== undefined && schema.safeParse(shown).success ? shown : undefined;
  },
  take: mapping.take,
});

/** The object without its undefined members. */
export const defined = (value: Json): Json => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));

const showOne = (stored: unknown, item: ItemMapping): Json | undefined => (isJsonObject(stored) ? item.show(stored) : undefined);

/** The given item, or the stored one when the given is the stored one as shown (rule 2). */
const takeOne = (given: Json, stored: unknown, item: ItemMapping): Json =>
  isJsonObject(stored) && jsonEqual(item.show(stored), given) ? stored : item.take(given);

/** The items the generation shows; none at all (rather than an empty list) when it can show none of a non-empty list. */
const showList = (stored: unknown, item: ItemMapping): Json[] | undefined => {
  if (!Array.isArray(stored)) return undefined;
  const shown = stored.flatMap((s): Json[] => {
    const one = isJsonObject(s) ? item.show(s) : undefined;
    return one === undefined ? [] : [one];
  });
  return shown.length === 0 && stored.length > 0 ? undefined : shown;
};

/**
 * The given list as stored items (rule 2 per item), with the stored items the generation does not
 * show kept where they were among the others (rule 1): the given items fill the places of the
 * shown ones, in order, and any beyond those follow.
 */
const takeList = (given: unknown[] | undefined, stored: unknown, item: ItemMapping): Json[] | undefined => {
  const before = Array.isArray(stored) ? stored.filter(isJsonObject).map((s) => ({ stored: s, shown: item.show(s), used: false })) : [];
  const taken = (given ?? []).filter(isJsonObject).map((g) => {
    const same = before.find((p) => !p.used && p.shown !== undefined && jsonEqual(p.shown, g));
    if (!same) return item.take(g);
    same.used = true;
    return same.stored;
  });
  if (given === undefined && before.every((p) => p.shown !== undefined)) return undefined;
  const result: Json[] = [];
  for (const place of before) {
    if (place.shown === undefined) result.push(place.stored);
    else if (taken.length > 0) result.push(taken.shift()!);
  }
  return [...result, ...taken];
};

/** The stored attributes as a generation with these mappings shows them. */
export const showAttributes = (stored: Json, mappings: Record<string, AttributeMapping>): Json => {
  const shown: Json = {};
  for (const [name, mapping] of Object.entries(mappings)) {
    const value = stored[mapping.stored];
    shown[name] = mapping.kind === 'value' ? value : mapping.kind === 'one' ? showOne(value, mapping.item) : showList(value, mapping.item);
  }
  return defined(shown);
};

/**
 * The stored attributes after a generation with these mappings wrote `given` (the whole of what
 * it shows: a create, a full update, or a patch applied to what it showed) over `current`.
 */
export const takeAttributes = (given: Json, current: Json, mappings: Record<string, AttributeMapping>): Json => {
  const stored: Json = { ...current };
  for (const [name, mapping] of Object.entries(mappings)) {
    const value = given[name];
    const before = current[mapping.stored];
    if (mapping.kind === 'value') stored[mapping.stored] = value;
    else if (mapping.kind === 'list') stored[mapping.stored] = takeList(Array.isArray(value) ? value : undefined, before, mapping.item);
    else if (isJsonObject(value)) stored[mapping.stored] = takeOne(value, before, mapping.item);
    else stored[mapping.stored] = isJsonObject(before) && mapping.item.show(before) === undefined ? before : undefined;
  }
  return defined(stored);
};
