import { describe, expect, it } from 'vitest';
import { countWords, dateWords } from './register-words';

// The words are written without Intl (see register-words.ts); they must read exactly as Intl's en-GB would.
const intlDate = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

describe('register words without Intl', () => {
  it("writes every day of a leap year as Intl's en-GB long date does", () => {
    for (let day = 0; day < 366; day++) {
      const date = new Date(Date.UTC(2028, 0, 1 + day));
      const iso = date.toISOString();
      expect(dateWords(iso.slice(0, 10))).toBe(intlDate.format(date));
      // A timestamp is its UTC day.
      expect(dateWords(iso)).toBe(intlDate.format(date));
    }
    expect(dateWords('1999-12-31')).toBe('31 December 1999');
  });

  it('says "Not set" for no date, and for something that is not one', () => {
    expect(dateWords(null)).toBe('Not set');
    expect(dateWords('')).toBe('Not set');
    expect(dateWords('soon')).toBe('Not set');
  });

  it("writes whole numbers with Intl's en-GB thousands separators", () => {
    for (const n of [0, 7, 12, 999, 1000, 1001, 12_345, 100_000, 999_999, 1_000_000, 1_234_567_890, -4500]) {
      expect(countWords(n)).toBe(n.toLocaleString('en-GB'));
    }
  });
});
