/**
 * Parsing of Postgres COPY text format (the default of `COPY ... TO STDOUT`): rows end with a newline,
 * columns are separated by tabs, `\N` is NULL, and backslash escapes stand for special characters.
 * Pure, so it is tested on its own. The extract splits rows on bytes (copy-rows.ts) and calls
 * unescapeCopyValue only for values that hold a backslash or more than ASCII; CopyTextRows, the string
 * reader, stays as the reference the byte-level specs are checked against.
 */
const ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

export function unescapeCopyValue(raw: string): string | null {
  if (raw === '\\N') return null;
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i += 1) {
    const ch = raw[i];
    if (ch !== '\\' || i === raw.length - 1) {
      out += ch;
      continue;
    }
    const next = raw[i + 1];
    if (next in ESCAPES) {
      out += ESCAPES[next];
      i += 1;
    } else if (next === 'x' && /^[0-9a-fA-F]{1,2}/.test(raw.slice(i + 2))) {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(raw.slice(i + 2))![0];
      out += String.fromCharCode(parseInt(hex, 16));
      i += 1 + hex.length;
    } else if (/[0-7]/.test(next)) {
      const octal = /^[0-7]{1,3}/.exec(raw.slice(i + 1))![0];
      out += String.fromCharCode(parseInt(octal, 8));
      i += octal.length;
    } else {
      out += next;
      i += 1;
    }
  }
  return out;
}

/** Splits decoded COPY text into rows, carrying a partial last line over to the next chunk. */
export class CopyTextRows {
  private rest = '';

  push(text: string, into: (string | null)[][]): void {
    const data = this.rest + text;
    let start = 0;
    for (let end = data.indexOf('\n', start); end !== -1; end = data.indexOf('\n', start)) {
      into.push(data.slice(start, end).split('\t').map(unescapeCopyValue));
      start = end + 1;
    }
    this.rest = data.slice(start);
  }

  finish(): void {
    if (this.rest !== '') throw new Error('COPY output ended in the middle of a row');
  }
}
