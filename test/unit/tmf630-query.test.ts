import { describe, expect, it } from 'vitest';
import { RE2JS } from 're2js';
import { readTmfQuery } from '../../functions/domain/tmf630-query.ts';
import { BUILT_IN_SEARCH_FIELDS, checkPattern, QueryProblem, searchFieldsOf } from '../../functions/domain/search-model.ts';

const fields = searchFieldsOf([]);
const now = Date.parse('2026-12-03T10:00:00.000Z');
const read = (pairs: [string, string][]) => readTmfQuery(pairs, fields, now, RE2JS);
const problem = (pairs: [string, string][]) => {
  try {
    read(pairs);
  } catch (error) {
    if (error instanceof QueryProblem) return error.message;
    throw error;
  }
  return undefined;
};

describe('TMF630 read into the search query model', () => {
  it('reads equality, comma OR, operators, characteristics and repeated AND', () => {
    expect(read([['status', 'Approved,Pending']]).filter).toEqual({
      kind: 'in',
      field: 'status',
      type: 'keyword',
      values: ['Approved', 'Pending'],
      negated: false,
    });
    expect(read([['engagedParty.id', '42']]).filter).toMatchObject({ kind: 'compare', field: 'engagedPartyId', op: 'eq', value: '42' });
    expect(read([['validFor.startDateTime.gte', '2026-01-01']]).filter).toMatchObject({ op: 'ge', value: '2026-01-01T00:00:00.000Z' });
    expect(read([['characteristic.segment.lt', 'm']]).filter).toMatchObject({ field: 'characteristic.segment', op: 'lt', value: 'm' });
    expect(read([['name.gt', 'A,B']]).filter).toMatchObject({
      kind: 'or',
      of: [
        { op: 'gt', value: 'a' },
        { op: 'gt', value: 'b' },
      ],
    });
    const both = read([
      ['name.regex', '^a,b'],
      ['name.regex', '^.*z$'],
    ]);
    expect(both.filter).toEqual({
      kind: 'and',
      of: [
        { kind: 'regex', field: 'name', type: 'text', pattern: '^a,b' },
        { kind: 'regex', field: 'name', type: 'text', pattern: '^.*z$' },
      ],
    });
    expect(both.equalities).toBeUndefined();
  });

  it('says which queries are equalities on attributes alone, and keeps the list controls out of the filter', () => {
    expect(
      read([
        ['name', 'Moon'],
        ['status', 'A,B'],
        ['limit', '5'],
        ['fields', 'name'],
        ['offset', '3'],
        ['cursor', 'x'],
      ]),
    ).toMatchObject({ equalities: { name: ['Moon'], status: ['A', 'B'] } });
    expect(read([]).equalities).toEqual({});
    expect(read([['characteristic.x', '1']]).equalities).toBeUndefined();
    expect(read([['name.eq', 'Moon']]).equalities).toEqual({ name: ['Moon'] });
    expect(read([['sort', '-name']]).equalities).toBeUndefined();
    // Repeated equalities must each hold: DynamoDB's lists read values as "any of", so they are not theirs to answer.
    expect(
      read([
        ['status', 'A'],
        ['status', 'B'],
      ]).equalities,
    ).toBeUndefined();
  });

  it('reads sort with - for descending, and binds a cursor to the filters in any order', () => {
    expect(read([['sort', 'status,-validFor.startDateTime,characteristic.x']]).sort).toEqual([
      { field: 'status', order: 'asc', nulls: 'last' },
      { field: 'validFor.startDateTime', order: 'desc', nulls: 'first' },
      { field: 'characteristic.x', order: 'asc', nulls: 'last' },
    ]);
    const a = read([
      ['status', 'A'],
      ['name.gt', 'b'],
      ['limit', '3'],
    ]).canonical;
    const b = read([
      ['name.gt', 'b'],
      ['status', 'A'],
    ]).canonical;
    expect(a).toBe(b);
    expect(read([['status', 'B']]).canonical).not.toBe(read([['status', 'A']]).canonical);
  });

  it('names the parameter of every problem', () => {
    expect(problem([['colour', 'red']])).toMatch(/^query: query has unknown parameter 'colour'/);
    expect(problem([['name.like', 'x']])).toMatch(/unknown parameter 'name\.like'/);
    expect(problem([['status.regex', 'A']])).toMatch(/^status\.regex: a pattern is anchored/);
    expect(problem([['validFor.endDateTime.lt', 'soon']])).toMatch(/^validFor\.endDateTime\.lt: must be a date/);
    expect(problem([['sort', 'name,name,name,name']])).toMatch(/^sort: must be an array of at most 3/);
    expect(
      problem([
        ['sort', 'id'],
        ['sort', 'name'],
      ]),
    ).toMatch(/^sort: give sort once/);
    expect(
      problem([
        ['id', Array.from({ length: 60 }, (_, i) => i).join(',')],
        ['name', Array.from({ length: 60 }, (_, i) => i).join(',')],
      ]),
    ).toMatch(/^name: a list's filters hold at most 100/);
  });
});

describe('regex patterns: RE2, anchored, within what PostgreSQL reads alike', () => {
  const text = BUILT_IN_SEARCH_FIELDS.name!;
  const keyword = BUILT_IN_SEARCH_FIELDS.status!;
  it('takes the shared subset, folding the pattern of a folded field', () => {
    for (const pattern of ['^a', '^(?:ab|c)+d?$', '^[a-z0-9_]{2,5}', '^.*\\.com$', '^x{0}', '^[\\]\\-]', '^a*?b', '^(a|)+'])
      expect(checkPattern(pattern, keyword, RE2JS), pattern).toEqual({ pattern });
    expect(checkPattern('^Zoë.*', text, RE2JS)).toEqual({ pattern: '^zoe.*' });
  });
  it('refuses what the engines read differently, and what RE2 refuses', () => {
    for (const [pattern, said] of [
      ['abc', /anchored/],
      ['^\\d', /punctuation/],
      ['^\\bx', /punctuation/],
      ['^\\w+', /punctuation/],
      ['^(?i)a', /flags/],
      ['^(?P<n>a)', /flags/],
      ['^[[:alpha:]]', /POSIX/],
      ['^[]a]', /\] inside/],
      ['^a{,3}', /brace/],
      ['^a{256}', /255/],
      ['^a{1,999}', /255/],
      ['^[a', /not closed/],
      ['^a**', /RE2/],
      ['^(a', /RE2/],
      [`^${'a'.repeat(256)}`, /256/],
    ] as const)
      expect(checkPattern(pattern, keyword, RE2JS), pattern).toEqual({ problem: expect.stringMatching(said) });
  });
});
