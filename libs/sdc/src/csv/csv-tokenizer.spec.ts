import { CsvError, CsvTokenizer, parseCsv } from './csv-tokenizer';

function chunked(text: string, size: number): string[][] {
  const records: string[][] = [];
  const tokenizer = new CsvTokenizer((fields) => records.push(fields));
  for (let i = 0; i < text.length; i += size) tokenizer.push(text.slice(i, i + size));
  tokenizer.end();
  return records;
}

describe('CsvTokenizer', () => {
  it('reads plain records with LF, CRLF and CR line ends and no final line break', () => {
    expect(parseCsv('a,b\n1,2\r\n3,4\r5,6')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
  });

  it('reads quoted fields holding commas, doubled quotes and line breaks', () => {
    expect(parseCsv('"a,b","say ""hi""","two\nlines"\n')).toEqual([['a,b', 'say "hi"', 'two\nlines']]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(parseCsv('a,,c,\n,,,\n')).toEqual([
      ['a', '', 'c', ''],
      ['', '', '', ''],
    ]);
  });

  it('skips blank lines and drops a byte-order mark', () => {
    expect(parseCsv('\ufeffx,y\n\n1,2\n\r\n')).toEqual([
      ['x', 'y'],
      ['1', '2'],
    ]);
  });

  it('gives the same records however the text is cut into chunks', () => {
    const text = 'h1,"h 2"\r\n"a ""q"", b",x\n"multi\r\nline",\n\nlast,"end"';
    const whole = parseCsv(text);
    for (let size = 1; size <= text.length; size++) expect(chunked(text, size)).toEqual(whole);
  });

  it('reports the line a record starts on, counting line breaks inside quotes', () => {
    const lines: number[] = [];
    const tokenizer = new CsvTokenizer((_, line) => lines.push(line));
    tokenizer.push('a\n"b\nc"\n\nd\n');
    tokenizer.end();
    expect(lines).toEqual([1, 2, 5]);
  });

  it('refuses a quote that is never closed, naming the line', () => {
    expect(() => parseCsv('a\n"open,b\n')).toThrow(new CsvError('a quoted field is never closed', 2));
  });

  it('refuses text after a closing quote', () => {
    expect(() => parseCsv('"a"b,c\n')).toThrow(CsvError);
  });
});
