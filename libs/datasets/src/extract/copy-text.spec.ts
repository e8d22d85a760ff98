import { CopyTextRows, unescapeCopyValue } from './copy-text';

describe('COPY text format', () => {
  it('reads NULL, plain values and every backslash escape', () => {
    expect(unescapeCopyValue('\\N')).toBeNull();
    expect(unescapeCopyValue('plain')).toBe('plain');
    expect(unescapeCopyValue('a\\tb\\nc\\\\d')).toBe('a\tb\nc\\d');
    expect(unescapeCopyValue('\\x41\\101')).toBe('AA');
    expect(unescapeCopyValue('')).toBe('');
  });

  it('splits rows across chunk boundaries and refuses a truncated stream', () => {
    const rows: (string | null)[][] = [];
    const parser = new CopyTextRows();
    parser.push('999\tF\n99', rows);
    parser.push('8\t\\N\n', rows);
    parser.finish();
    expect(rows).toEqual([
      ['999', 'F'],
      ['998', null],
    ]);
    parser.push('partial', rows);
    expect(() => parser.finish()).toThrow(/middle of a row/);
  });
});
