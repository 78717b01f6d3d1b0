import { randomBytes, randomUUID } from 'node:crypto';

/** A resource identifier. */
export const newId = (): string => randomUUID();

/**
 * A time-ordered, unique identifier (48-bit millisecond time + 80 random bits, Crockford base32),
 * so event items sort by time inside an item collection.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const timeOrderedId = (now: number = Date.now()): string => {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let random = '';
  for (let i = 0; i < 16; i++) random += ALPHABET[(bytes[i] ?? 0) % 32];
  return time + random;
};
