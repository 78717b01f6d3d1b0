import { describe, expect, it } from 'vitest';
import { matchKeysOf, MAX_MATCH_KEYS, normaliseEmail, normaliseName, normalisePhone } from '../../functions/domain/match-keys.ts';

describe('match keys', () => {
  it('normalises names, e-mail addresses and phone numbers so the same person matches however it was typed', () => {
    expect(normaliseName('  Müller-Lüdenscheidt,  GmbH ')).toBe('muller ludenscheidt gmbh');
    expect(normaliseName('ÅSA ÖBERG')).toBe(normaliseName('asa oberg'));
    expect(normaliseEmail(' Anna.Muller@Mail.EXAMPLE ')).toBe('anna.muller@mail.example');
    expect(normalisePhone('+31 (0)6-1234 5678')).toBe('310612345678');
    expect(normalisePhone('0031 6 12345678')).toBe(normalisePhone('+31 6 12345678'));
    expect(normalisePhone('112')).toBe('');
  });

  it('takes a customer’s name and every e-mail and phone of its contact media, distinct, at most MAX_MATCH_KEYS', () => {
    const media = Array.from({ length: 12 }, (_, i) => ({ mediumType: 'Email', characteristic: { emailAddress: `a${i}@x.example` } }));
    const keys = matchKeysOf({ name: 'Anna', contactMedium: [{ mediumType: 'Email', characteristic: { emailAddress: 'A0@x.example' } }, ...media] });
    expect(keys[0]).toEqual({ kind: 'name', value: 'anna' });
    expect(keys).toHaveLength(MAX_MATCH_KEYS);
    expect(keys.filter((k) => k.value === 'a0@x.example')).toHaveLength(1);
  });
});
