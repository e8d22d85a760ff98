import { NhsNumberSet } from './nhs-number-set';
import { createRng, randomInt } from './rng';

describe('NhsNumberSet', () => {
  it('agrees with a Set of strings, by string and by digit bytes, as it grows', () => {
    const rng = createRng(8);
    const number = () =>
      String(randomInt(rng, 0, 100_000)).padStart(5, '0') +
      String(randomInt(rng, 0, 100_000)).padStart(5, '0');
    const members = new Set<string>(['0000000000', '9999999999', '0000100000', '0000000001']);
    for (let i = 0; i < 50_000; i += 1) members.add(number());
    const set = new NhsNumberSet();
    for (const member of members) set.add(member);
    for (const member of members) set.add(member); // adding twice changes nothing
    expect(set.size).toBe(members.size);
    const list = [...members];
    const disagreements: string[] = [];
    let hits = 0;
    for (let i = 0; i < 100_000; i += 1) {
      const candidate = i % 2 ? list[i % list.length] : number();
      const bytes = Buffer.from(`x${candidate}y`, 'latin1');
      const expected = members.has(candidate);
      if (expected) hits += 1;
      if (set.has(candidate) !== expected || set.hasDigits(bytes, 1) !== expected)
        disagreements.push(candidate);
    }
    expect(disagreements).toEqual([]);
    expect(hits).toBeGreaterThanOrEqual(50_000);
  });

  it('reads ten digits from a packed string, and refuses or never matches anything else', () => {
    const set = new NhsNumberSet(2);
    const packed = '94347659194010232137';
    for (let at = 0; at < packed.length; at += 10) set.add(packed, at);
    expect(set.has('9434765919') && set.has('4010232137')).toBe(true);
    expect(set.has('943476591')).toBe(false);
    expect(set.has('943 476 5919')).toBe(false);
    expect(set.hasDigits(Buffer.from('94347659 9'), 0)).toBe(false);
    expect(() => set.add('943476591x')).toThrow(RangeError);
    expect(() => set.add('12345')).toThrow(RangeError);
  });
});
