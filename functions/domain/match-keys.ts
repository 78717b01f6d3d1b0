/**
 * What makes two customers of a tenant likely the same: the same e-mail address, phone number or
 * name once normalised. Each normalised value is a match key; the store keeps, per key, which
 * customers have it (storage/customers/match-keys.ts), so duplicates are found by key, never by walking the tenant.
 */
export type MatchKind = 'email' | 'phone' | 'name';

export interface MatchKey {
  kind: MatchKind;
  value: string;
}

/** At most this many keys per customer (its first e-mail addresses and phone numbers, and its name): each is a write in the customer's transactions. */
export const MAX_MATCH_KEYS = 8;

/** An e-mail address without case or surrounding space. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** A phone number's digits (a leading 00 read as +); fewer than 6 digits match nothing. */
export const normalisePhone = (phone: string): string => {
  const digits = phone.replace(/\D/g, '');
  const international = digits.startsWith('00') ? digits.slice(2) : digits;
  return international.length >= 6 ? international : '';
};

/** A name without case, accents, punctuation or repeated space ("Müller-Lüdenscheidt, GmbH" → "muller ludenscheidt gmbh"). */
export const normaliseName = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

const strings = (values: unknown[]): string[] => values.filter((v): v is string => typeof v === 'string');

/** The match keys of a stored customer (its TMF contact media and name), distinct, at most MAX_MATCH_KEYS. */
export const matchKeysOf = (record: Record<string, unknown>): MatchKey[] => {
  const media = Array.isArray(record.contactMedium) ? (record.contactMedium as { characteristic?: Record<string, unknown> }[]) : [];
  const characteristics = media.map((m) => m.characteristic ?? {});
  const keys: MatchKey[] = [
    ...(typeof record.name === 'string' ? [{ kind: 'name' as const, value: normaliseName(record.name) }] : []),
    ...strings(characteristics.map((c) => c.emailAddress)).map((e) => ({ kind: 'email' as const, value: normaliseEmail(e) })),
    ...strings(characteristics.map((c) => c.phoneNumber)).map((p) => ({ kind: 'phone' as const, value: normalisePhone(p) })),
  ].filter((k) => k.value !== '');
  const seen = new Set<string>();
  return keys.filter((k) => !seen.has(`${k.kind}:${k.value}`) && seen.add(`${k.kind}:${k.value}`)).slice(0, MAX_MATCH_KEYS);
};
