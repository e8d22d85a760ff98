/** Malformed CSV, with the line (1-based) where the offending record starts. */
export class CsvError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(`malformed CSV at line ${line}: ${reason}`);
    this.name = 'CsvError';
  }
}

export type CsvRecordSink = (fields: string[], line: number) => void;

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;
const BOM = 0xfeff;

const enum State {
  RecordStart,
  FieldStart,
  Unquoted,
  Quoted,
  QuoteSeen,
  AfterCr,
}

/**
 * RFC 4180 CSV tokenizer fed in chunks of any size, so a file of any length is read with a fixed buffer.
 * Quoted fields may hold commas, doubled quotes and line breaks; CRLF, LF and CR line ends are accepted;
 * blank lines are skipped; a leading byte-order mark is dropped. Pure: it never touches a file.
 */
export class CsvTokenizer {
  private state = State.RecordStart;
  private fields: string[] = [];
  private field = '';
  private line = 1;
  private recordLine = 1;
  private started = false;

  constructor(private readonly sink: CsvRecordSink) {}

  push(chunk: string): void {
    const n = chunk.length;
    let i = 0;
    if (!this.started && n > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === BOM) i = 1;
    }
    let start = i;
    while (i < n) {
      switch (this.state) {
        case State.AfterCr:
          this.state = State.RecordStart;
          if (chunk.charCodeAt(i) === LF) i++;
          break;
        case State.RecordStart: {
          const c = chunk.charCodeAt(i);
          if (c === LF || c === CR) {
            this.line++;
            i++;
            if (c === CR) this.state = State.AfterCr;
          } else {
            this.recordLine = this.line;
            this.state = State.FieldStart;
          }
          break;
        }
        case State.FieldStart:
          if (chunk.charCodeAt(i) === QUOTE) {
            this.state = State.Quoted;
            i++;
          } else {
            this.state = State.Unquoted;
          }
          start = i;
          break;
        case State.Unquoted: {
          let j = i;
          let c = 0;
          while (j < n) {
            c = chunk.charCodeAt(j);
            if (c === COMMA || c === LF || c === CR) break;
            j++;
          }
          if (j === n) {
            this.field += chunk.slice(start, n);
            i = n;
            break;
          }
          this.fields.push(this.field === '' ? chunk.slice(start, j) : this.field + chunk.slice(start, j));
          this.field = '';
          i = j + 1;
          this.afterDelimiter(c);
          break;
        }
        case State.Quoted: {
          const j = chunk.indexOf('"', i);
          const end = j < 0 ? n : j;
          const part = chunk.slice(i, end);
          this.field += part;
          this.line += countLineBreaks(part);
          i = j < 0 ? n : j + 1;
          if (j >= 0) this.state = State.QuoteSeen;
          break;
        }
        case State.QuoteSeen: {
          const c = chunk.charCodeAt(i);
          i++;
          if (c === QUOTE) {
            this.field += '"';
            this.state = State.Quoted;
          } else if (c === COMMA || c === LF || c === CR) {
            this.fields.push(this.field);
            this.field = '';
            this.afterDelimiter(c);
          } else {
            throw new CsvError('unexpected text after a closing quote', this.recordLine);
          }
          break;
        }
      }
    }
  }

  /** Signals the end of input; a record without a final line break is still delivered. */
  end(): void {
    switch (this.state) {
      case State.Quoted:
        throw new CsvError('a quoted field is never closed', this.recordLine);
      case State.Unquoted:
      case State.QuoteSeen:
      case State.FieldStart:
        this.fields.push(this.field);
        this.field = '';
        this.emit();
        break;
      default:
        break;
    }
    this.state = State.RecordStart;
  }

  private afterDelimiter(c: number): void {
    if (c === COMMA) {
      this.state = State.FieldStart;
      return;
    }
    this.emit();
    this.line++;
    this.state = c === CR ? State.AfterCr : State.RecordStart;
  }

  private emit(): void {
    const fields = this.fields;
    this.fields = [];
    this.sink(fields, this.recordLine);
  }
}

function countLineBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) count++;
  }
  return count;
}

/** Tokenizes a whole CSV text at once; convenient for tests and small inputs. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  const tokenizer = new CsvTokenizer((fields) => records.push(fields));
  tokenizer.push(text);
  tokenizer.end();
  return records;
}
