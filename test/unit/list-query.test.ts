import { describe, expect, it } from 'vitest';
import { parseFields, selectFields, UnknownFieldError } from '../../functions/domain/field-selection.ts';
import { matchesFilters } from '../../functions/domain/list-filters.ts';

describe('attribute selection', () => {
  const customer = { id: '1', href: 'h', '@type': 'Customer', name: 'Moon', status: 'Approved', engagedParty: { id: '9' } };

  it('keeps the selected first-level attributes plus id, href and @type', () => {
    expect(selectFields(customer, parseFields('name', Object.keys(customer)), ['id', 'href', '@type'])).toEqual({
      id: '1',
      href: 'h',
      '@type': 'Customer',
      name: 'Moon',
    });
    expect(selectFields(customer, parseFields('status, name', Object.keys(customer)), ['id', 'href', '@type'])).toEqual({
      id: '1',
      href: 'h',
      '@type': 'Customer',
      name: 'Moon',
      status: 'Approved',
    });
  });

  it('returns everything without fields, and names unknown attributes', () => {
    expect(selectFields(customer, parseFields(undefined, Object.keys(customer)), ['id'])).toBe(customer);
    expect(() => parseFields('name,colour', Object.keys(customer))).toThrow(new UnknownFieldError(['colour']));
  });
});

describe('list query', () => {
  it('filters combine with AND, values of one filter with OR', () => {
    const resource = { name: 'Moon', status: 'Approved' };
    expect(matchesFilters(resource, { name: ['Moon'], status: ['Approved'] })).toBe(true);
    expect(matchesFilters(resource, { name: ['Moon'], status: ['Rejected'] })).toBe(false);
    expect(matchesFilters(resource, { status: ['Rejected', 'Approved'] })).toBe(true);
  });
});
