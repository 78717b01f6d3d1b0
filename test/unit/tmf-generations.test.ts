/**
 * The three TMF629 generations over one stored customer, as properties: whatever generation wrote
 * a customer, each generation's view of it is valid against that generation's official file, and
 * a generation that sends back what it was shown changes nothing — so what it cannot express is
 * kept (functions/domain/tmf629/items.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonEqual } from '../../functions/domain/canonical-json.ts';
import { CUSTOMER_ATTRIBUTE_NAMES, customerAttributes } from '../../functions/domain/customer-model.ts';
import { GENERATIONS } from '../../functions/domain/tmf629/generations.ts';
import { showCustomer, shownAttributes, takeCustomer, type GenerationName } from '../../functions/domain/tmf629/generation.ts';
import type { Json } from '../../functions/domain/tmf629/items.ts';
import { validFor } from '../support/arbitraries.ts';
import { tmfSchemaErrorsOf } from '../support/tmf-schema.ts';

const NAMES: GenerationName[] = ['v3', 'v4', 'v5'];
const seed = Number(process.env.FUZZ_SEED ?? 20261130);
const numRuns = Number(process.env.FUZZ_RUNS ?? 120);

/** A stored customer as one generation's valid create (then possibly overwritten by another's) leaves it. */
const storedCustomer = fc
  .tuple(fc.constantFrom(...NAMES), fc.constantFrom(...NAMES))
  .chain(([first, second]) =>
    fc.tuple(
      fc.constant(first),
      validFor(GENERATIONS[first].attributes),
      fc.constant(second),
      fc.option(validFor(GENERATIONS[second].attributes), { nil: undefined }),
    ),
  )
  .map(([first, body, second, overwrite]) => {
    const id = 'c-1';
    let stored = takeCustomer(GENERATIONS[first], body as Json, {}, id);
    if (overwrite !== undefined) stored = takeCustomer(GENERATIONS[second], overwrite as Json, stored, id);
    return { ...stored, '@type': stored['@type'] ?? 'Customer', id };
  });

describe('TMF629 generations over one stored customer', () => {
  it.each(NAMES)('%s shows any stored customer validly against its official file', (name) => {
    fc.assert(
      fc.property(storedCustomer, (stored) => {
        const view = showCustomer(GENERATIONS[name], stored, 'https://api.test');
        const errors = tmfSchemaErrorsOf(name, 'Customer', view);
        if (errors.length > 0) throw new Error(`${errors.join('; ')} in ${JSON.stringify(view)} from ${JSON.stringify(stored)}`);
      }),
      { seed, numRuns },
    );
  });

  it.each(NAMES)('%s sending back what it showed changes nothing, whoever wrote the customer', (name) => {
    fc.assert(
      fc.property(storedCustomer, ({ id, ...stored }) => {
        const generation = GENERATIONS[name];
        const after = takeCustomer(generation, shownAttributes(generation, stored), stored, id);
        if (!jsonEqual(after, stored)) throw new Error(`${JSON.stringify(stored)} became ${JSON.stringify(after)}`);
      }),
      { seed, numRuns },
    );
  });

  it.each(NAMES)('%s takes back what it showed: its view passes its own input schema, so a patch of one attribute is never refused for another', (name) => {
    fc.assert(
      fc.property(storedCustomer, ({ id: _id, ...stored }) => {
        const shown = shownAttributes(GENERATIONS[name], stored);
        const parsed = GENERATIONS[name].attributes.safeParse(shown);
        if (!parsed.success) throw new Error(`${JSON.stringify(parsed.error.issues)} in ${JSON.stringify(shown)}`);
      }),
      { seed, numRuns },
    );
  });

  it('keeps an item a generation cannot show in its place among the others', () => {
    const stored = { name: 'n', account: [{ name: 'a' }, { '@type': 'AccountRef', id: 'hidden' }, { name: 'b' }] };
    const after = takeCustomer(GENERATIONS.v4, { name: 'n', account: [{ name: 'A' }, { name: 'b' }] }, stored, 'c');
    expect(after.account).toEqual([{ name: 'A' }, { '@type': 'AccountRef', id: 'hidden' }, { name: 'b' }]);
    const removed = takeCustomer(GENERATIONS.v4, { name: 'n' }, stored, 'c');
    expect(removed.account).toEqual([{ '@type': 'AccountRef', id: 'hidden' }]);
  });
});

describe('the v4 customer model', () => {
  it('lists as CUSTOMER_ATTRIBUTE_NAMES exactly the attributes its schema takes', () => {
    expect([...CUSTOMER_ATTRIBUTE_NAMES].sort()).toEqual(Object.keys(customerAttributes()).sort());
  });
});
