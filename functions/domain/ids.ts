import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** A resource identifier. */
export const newId = (): string => randomUUID();

/**
 * A time-ordered, unique identifier (ULID layout: 48-bit millisecond time + 80 random bits,
 * Crockford base32), so event items sort by time inside an item collection. Monotonic within a
 * process: ids made in the same millisecond (the events of one transaction) sort in the order made.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_MAX = (1n << 80n) - 1n;
let lastTime = -1;
let lastRandom = 0n;

const encode = (value: bigint, length: number): string => {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
};

export const timeOrderedId = (now: number = Date.now()): string => {
  if (now <= lastTime && lastRandom < RANDOM_MAX) {
    lastRandom += 1n;
  } else {
    lastTime = Math.max(now, lastTime + (lastRandom >= RANDOM_MAX ? 1 : 0));
    lastRandom = BigInt(`0x${randomBytes(10).toString('hex')}`) >> 1n; // leave room to count up
  }
  return encode(BigInt(lastTime), 10) + encode(lastRandom, 16);
};

/** The time part of a time-ordered id at `timeMs` (10 characters): every id made before that millisecond sorts before it, every id made at or after it after. */
export const timePrefix = (timeMs: number): string => encode(BigInt(timeMs), 10);

/** The millisecond a time-ordered id was made at (its first 10 characters). */
export const timeOfId = (id: string): number => {
  let value = 0;
  for (const char of id.slice(0, 10)) value = value * 32 + ALPHABET.indexOf(char);
  return value;
};

/** A time-ordered id, or its time part alone (a position in a time-ordered list). */
export const TIME_ORDERED_POSITION = /^[0-9A-HJKMNP-TV-Z]{10}(?:[0-9A-HJKMNP-TV-Z]{16})?$/;

/**
 * A deterministic id in the same layout: the time part from `timeMs`, the rest from a hash of
 * `seed`. The same seed and time always give the same id, so a retried or overlapping job that
 * records the same fact writes the same event id (and its conditional Put refuses the second).
 */
export const deterministicTimeOrderedId = (timeMs: number, seed: string): string => {
  const digest = createHash('sha256').update(seed).digest();
  return encode(BigInt(timeMs), 10) + encode(BigInt(`0x${digest.subarray(0, 10).toString('hex')}`), 16);
};
