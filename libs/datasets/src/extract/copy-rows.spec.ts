import { CopyRowSplitter } from './copy-rows';
import { CopyTextRows, unescapeCopyValue } from './copy-text';

/** Rows as raw field strings, through the splitter, with the input cut at the given offsets. */
function split(input: Buffer, fields: number, cuts: readonly number[]): string[][] {
  const rows: string[][] = [];
  const splitter = new CopyRowSplitter(fields);
  let from = 0;
  for (const cut of [...cuts, input.length]) {
    splitter.push(input.subarray(from, cut), (bytes, bounds) => {
      const row: string[] = [];
      for (let i = 0; i < fields; i += 1) row.push(bytes.toString('utf8', bounds[2 * i], bounds[2 * i + 1]));
      rows.push(row);
    });
    from = cut;
  }
  splitter.finish();
  return rows;
}

// Every escape COPY writes, NULL, empty fields, multi-byte UTF-8 and an escaped tab and newline inside values.
const INPUT = Buffer.from(
  [
    '9434765919\tplain\t2024-01-02',
    '\\N\t\t',
    'a\\tb\\nc\\\\d\tx\\x41\\101\\r\\b\\f\\v\tZoë, "café" ☃',
    '943 476 5919\t\\N\t\\\\N',
  ]
    .map((row) => `${row}\n`)
    .join(''),
  'utf8',
);

describe('CopyRowSplitter', () => {
  const expected = INPUT.toString('utf8')
    .split('\n')
    .slice(0, -1)
    .map((row) => row.split('\t'));

  it('finds the same fields as splitting the decoded text, however the input is cut', () => {
    for (let cut = 0; cut <= INPUT.length; cut += 1) expect(split(INPUT, 3, [cut])).toEqual(expected);
    for (let a = 0; a <= INPUT.length; a += 3)
      for (let b = a; b <= INPUT.length; b += 5) expect(split(INPUT, 3, [a, b])).toEqual(expected);
    const everyByte = Array.from({ length: INPUT.length }, (_, i) => i);
    expect(split(INPUT, 3, everyByte)).toEqual(expected);
  });

  it('gives fields that unescape to what the string reader reads', () => {
    const legacy: (string | null)[][] = [];
    const reader = new CopyTextRows();
    reader.push(INPUT.toString('utf8'), legacy);
    reader.finish();
    expect(split(INPUT, 3, [7]).map((row) => row.map(unescapeCopyValue))).toEqual(legacy);
    expect(legacy[1]).toEqual([null, '', '']);
    expect(legacy[3]).toEqual(['943 476 5919', null, '\\N']);
  });

  it('refuses rows with too few or too many fields, and a stream cut inside a row', () => {
    expect(() => split(Buffer.from('a\tb\n'), 3, [])).toThrow(/2 fields, expected 3/);
    expect(() => split(Buffer.from('a\tb\tc\td\n'), 3, [])).toThrow(/more than the 3 fields/);
    expect(() => split(Buffer.from('a\tb\tc\nd\te'), 3, [7])).toThrow(/middle of a row/);
    expect(() => new CopyRowSplitter(0)).toThrow(RangeError);
  });

  it('keeps nothing of a chunk once its rows are handed over, but the partial last row', () => {
    const splitter = new CopyRowSplitter(1);
    const seen: string[] = [];
    const chunk = Buffer.from('one\ntw');
    splitter.push(chunk, (bytes, bounds) => seen.push(bytes.toString('utf8', bounds[0], bounds[1])));
    chunk.fill(0x21); // the carried-over bytes are a copy, not a view of the network chunk
    splitter.push(Buffer.from('o\n'), (bytes, bounds) =>
      seen.push(bytes.toString('utf8', bounds[0], bounds[1])),
    );
    splitter.finish();
    expect(seen).toEqual(['one', 'two']);
  });
});
