/**
 * Splits Postgres COPY text output (`COPY ... TO STDOUT`, the default format) into rows and fields on the raw
 * bytes, without decoding or copying them. In that format a tab (0x09) or newline (0x0A) byte is always a
 * delimiter: one inside a value is written as the two characters `\t` or `\n`, and neither byte occurs inside
 * a multi-byte UTF-8 sequence. So fields are found by byte offsets, and only the values that need it are
 * decoded later (unescapeCopyValue). A row cut by a chunk boundary is carried over to the next chunk.
 */

/** Receives one row: field i is bytes[bounds[2i] .. bounds[2i+1]). Valid only during the call. */
export type CopyRowHandler = (bytes: Buffer, bounds: Int32Array) => void;

const TAB = 0x09;
const NEWLINE = 0x0a;
const EMPTY = Buffer.alloc(0);

export class CopyRowSplitter {
  private readonly bounds: Int32Array;
  private rest: Buffer = EMPTY;

  constructor(private readonly fields: number) {
    if (!Number.isSafeInteger(fields) || fields < 1)
      throw new RangeError('a COPY row has at least one field');
    this.bounds = new Int32Array(fields * 2);
  }

  push(chunk: Buffer, onRow: CopyRowHandler): void {
    let from = 0;
    if (this.rest.length > 0) {
      const end = chunk.indexOf(NEWLINE);
      if (end === -1) {
        this.rest = Buffer.concat([this.rest, chunk]);
        return;
      }
      const row = Buffer.concat([this.rest, chunk.subarray(0, end + 1)]);
      this.rest = EMPTY;
      this.split(row, 0, onRow);
      from = end + 1;
    }
    const next = this.split(chunk, from, onRow);
    // A copy, so the carried-over bytes never pin the whole network chunk.
    if (next < chunk.length) this.rest = Buffer.from(chunk.subarray(next));
  }

  /** Refuses a stream that stopped in the middle of a row. */
  finish(): void {
    if (this.rest.length > 0) throw new Error('COPY output ended in the middle of a row');
  }

  /** Hands every complete row from `from` on to onRow; returns where the first incomplete row starts. */
  private split(bytes: Buffer, from: number, onRow: CopyRowHandler): number {
    const bounds = this.bounds;
    const last = this.fields - 1;
    let rowStart = from;
    let field = 0;
    bounds[0] = from;
    for (let i = from; i < bytes.length; i += 1) {
      const byte = bytes[i];
      if (byte === TAB) {
        if (field === last) throw new Error(`COPY row has more than the ${this.fields} fields selected`);
        bounds[field * 2 + 1] = i;
        field += 1;
        bounds[field * 2] = i + 1;
      } else if (byte === NEWLINE) {
        if (field !== last) throw new Error(`COPY row has ${field + 1} fields, expected ${this.fields}`);
        bounds[field * 2 + 1] = i;
        onRow(bytes, bounds);
        field = 0;
        rowStart = i + 1;
        bounds[0] = rowStart;
      }
    }
    return rowStart;
  }
}
