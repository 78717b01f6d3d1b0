import { createHash } from 'node:crypto';

/**
 * The first row of a file to hold each key, for the splitter to find in-file duplicates in one pass
 * without keeping the keys: an open-addressing table of 64-bit hashes (the first 8 bytes of the
 * key's SHA-256) and the ordinal of the row that first held each. 12 bytes a slot, at most 3 of 4
 * slots used: 2^24 slots (201 MB) hold 12.5 M keys, 2^21 (25 MB) a million. Two keys that share a
 * hash (about 3 in a million jobs of 10 M rows) are told apart where the row is processed, by
 * comparing the keys themselves: a hash names a candidate, never a duplicate.
 */
export class FirstSeen {
  private hashes = new BigUint64Array(1 << 16);
  private rows = new Uint32Array(1 << 16);
  private size = 0;

  /** The ordinal of the first row that held `key`, or undefined when `row` is the first (and is kept as such). */
  see(key: string, row: number): number | undefined {
    if ((this.size + 1) * 4 > this.hashes.length * 3) this.grow();
    const hash = createHash('sha256').update(key).digest().readBigUInt64BE(0) || 1n; // 0 marks an empty slot
    const at = this.slotOf(hash);
    if (this.hashes[at] === hash) return this.rows[at];
    this.hashes[at] = hash;
    this.rows[at] = row;
    this.size++;
    return undefined;
  }

  /** Bytes the table holds. */
  get bytes(): number {
    return this.hashes.byteLength + this.rows.byteLength;
  }

  /** The slot holding `hash`, or the empty one where it goes. */
  private slotOf(hash: bigint): number {
    const mask = this.hashes.length - 1;
    let at = Number(hash & BigInt(mask));
    while (this.hashes[at] !== 0n && this.hashes[at] !== hash) at = (at + 1) & mask;
    return at;
  }

  private grow(): void {
    const [hashes, rows] = [this.hashes, this.rows];
    this.hashes = new BigUint64Array(hashes.length * 2);
    this.rows = new Uint32Array(rows.length * 2);
    for (let i = 0; i < hashes.length; i++)
      if (hashes[i] !== 0n) {
        const at = this.slotOf(hashes[i]!);
        this.hashes[at] = hashes[i]!;
        this.rows[at] = rows[i]!;
      }
  }
}
