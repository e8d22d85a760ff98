/**
 * A set of normalised NHS numbers (ten ASCII digits), held as numbers in an open-addressed hash table.
 * Opt-out lists run to millions of people: as a Set of strings each member costs a string and an entry
 * (about 60 bytes), here 16 bytes at most, and membership is tested straight from the digit bytes the
 * extract reads, without making a string per person.
 */

const EMPTY = 0;
const TEN_DIGITS = /^[0-9]{10}$/;

function slotOf(high: number, low: number, mask: number): number {
  let hash = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
  hash ^= hash >>> 15;
  return hash & mask;
}

export class NhsNumberSet {
  /** key + 1 per occupied slot (so 0000000000 differs from an empty slot); half full at most. */
  private table: Float64Array;
  private mask: number;
  private count = 0;

  constructor(expected = 16) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.table = new Float64Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Adds the ten digits at text[at..at+10); refuses anything else. */
  add(text: string, at = 0): void {
    const digits = text.slice(at, at + 10);
    if (!TEN_DIGITS.test(digits))
      throw new RangeError('NhsNumberSet holds normalised ten-digit NHS numbers only');
    const high = Number(digits.slice(0, 5));
    const low = Number(digits.slice(5));
    if (this.find(high, low) >= 0) return;
    if ((this.count + 1) * 2 > this.table.length) this.grow();
    this.insert(high, low);
  }

  has(normalised: string): boolean {
    if (!TEN_DIGITS.test(normalised)) return false;
    return this.find(Number(normalised.slice(0, 5)), Number(normalised.slice(5))) >= 0;
  }

  /** Membership of the ten ASCII digits at bytes[start..start+10); false if they are not all digits. */
  hasDigits(bytes: Uint8Array, start: number): boolean {
    let high = 0;
    let low = 0;
    for (let i = 0; i < 10; i += 1) {
      const digit = bytes[start + i] - 0x30;
      if (digit < 0 || digit > 9) return false;
      if (i < 5) high = high * 10 + digit;
      else low = low * 10 + digit;
    }
    return this.find(high, low) >= 0;
  }

  private find(high: number, low: number): number {
    const key = high * 100_000 + low + 1;
    const table = this.table;
    for (let slot = slotOf(high, low, this.mask); ; slot = (slot + 1) & this.mask) {
      const stored = table[slot];
      if (stored === key) return slot;
      if (stored === EMPTY) return -1;
    }
  }

  private insert(high: number, low: number): void {
    const table = this.table;
    let slot = slotOf(high, low, this.mask);
    while (table[slot] !== EMPTY) slot = (slot + 1) & this.mask;
    table[slot] = high * 100_000 + low + 1;
    this.count += 1;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    this.mask = this.table.length - 1;
    this.count = 0;
    for (const stored of old) {
      if (stored === EMPTY) continue;
      const key = stored - 1;
      const high = Math.floor(key / 100_000);
      this.insert(high, key - high * 100_000);
    }
  }
}
