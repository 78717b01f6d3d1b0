import type * as z from 'zod/mini';
import { jsonEqual } from '../canonical-json.ts';
import { showAttributes, takeAttributes, type AttributeMapping, type Json } from './items.ts';

export type GenerationName = 'v3' | 'v4' | 'v5';

/**
 * One generation of TMF629 over the stored customer: where it is served, how each of its
 * first-level attributes maps onto the stored ones (items.ts), and the schema of a customer's
 * attributes as it takes them (create and full update; a patch's result is checked with it too).
 */
export interface TmfGeneration {
  name: GenerationName;
  /** Where its customers live: their `href` points there. */
  basePath: string;
  /** Other paths that serve it too (v5: where TM Forum's v5 conformance kit points by default). */
  aliasBasePaths: readonly string[];
  mappings: Record<string, AttributeMapping>;
  /**
   * What a `fields` selection answers beside the attributes it names, as the generation's
   * conformance kit expects: v3 nothing (R18's TC_Cust_N4: `fields=name` answers `name` alone),
   * v4 and v5 `id`, `href` and `@type`.
   */
  keptBySelection: readonly string[];
  /** The customer's attributes as a create or full update takes them (strict: an unknown attribute is a 400 naming it). */
  attributes: z.ZodMiniType<Json>;
  /** What it stores for the customer beyond what it was given (v3: an engaged party when none was given). */
  complete?: (stored: Json, id: string) => Json;
}

/** The attributes the generation shows of a stored customer, by their names in the generation, with `@type` Customer unless it says otherwise. */
export const shownAttributes = (generation: TmfGeneration, stored: Json): Json => {
  const shown = showAttributes(stored, generation.mappings);
  shown['@type'] ??= 'Customer';
  return shown;
};

/** The customer as the generation shows it: `id`, `href` in the generation's base path, and its attributes. */
export const showCustomer = (generation: TmfGeneration, record: { id: string } & Json, baseUrl: string): Json => ({
  id: record.id,
  href: `${baseUrl}${generation.basePath}/customer/${encodeURIComponent(record.id)}`,
  ...shownAttributes(generation, record),
});

/** The stored TMF attributes after the generation wrote `given` (its whole view of the customer) over `current`'s. */
export const takeCustomer = (generation: TmfGeneration, given: Json, current: Json, id: string): Json => {
  const stored = takeAttributes(given, current, generation.mappings);
  return generation.complete ? generation.complete(stored, id) : stored;
};

/**
 * The stored TMF attributes the generation does not show as they are (another generation's
 * attributes, items it cannot hold): with its view of the customer they give back the stored
 * attributes (`storedFromView`). Events carry v4's view and this, so a listener of any generation
 * can be shown the customer as its generation shows it.
 */
export const notShownAsStored = (generation: TmfGeneration, stored: Json): Json => {
  const shown = shownAttributes(generation, stored);
  return Object.fromEntries(Object.entries(stored).filter(([name, value]) => !(generation.mappings[name]?.stored === name && jsonEqual(shown[name], value))));
};

/** The stored TMF attributes, from a generation's view of the customer and what it did not show as stored. */
export const storedFromView = (view: Json, notShown: Json | undefined): Json => {
  const { id: _id, href: _href, ...shown } = view;
  return { ...shown, ...notShown };
};
