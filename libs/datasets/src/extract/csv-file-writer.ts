import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

const needsQuoting = /[",\r\n]/;

/** One CSV field: empty for null, quoted (quotes doubled) when it holds a quote, comma or line break. */
export function csvField(value: string | null): string {
  return value === null ? '' : needsQuoting.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(values: readonly (string | null)[]): string {
  return `${values.map(csvField).join(',')}\n`;
}

const CHUNK_BYTES = 1 << 20;

/**
 * CSV bytes built in place: rows are written into large buffers, which are handed to the file writer whole,
 * so no string or array is made per row. A full buffer is never written into again (the file stream may still
 * hold it), a fresh one is taken instead.
 */
export class CsvBytes {
  bytes: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  length = 0;
  private readonly full: Buffer[] = [];

  /** Makes room for n more bytes at `length`. */
  reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    if (this.length > 0) this.full.push(this.bytes.subarray(0, this.length));
    this.bytes = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, n));
    this.length = 0;
  }

  byte(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  copy(source: Buffer, start: number, end: number): void {
    this.reserve(end - start);
    this.length += source.copy(this.bytes, this.length, start, end);
  }

  /** Writes a value as a CSV field (quoted when it must be), UTF-8 encoded. */
  field(value: string | null): void {
    const text = csvField(value);
    this.reserve(Buffer.byteLength(text, 'utf8'));
    this.length += this.bytes.write(text, this.length, 'utf8');
  }

  /** Everything written so far, leaving this empty; with `all` false, only buffers that are full. */
  take(all: boolean): Buffer[] {
    if (all && this.length > 0) {
      this.full.push(this.bytes.subarray(0, this.length));
      this.bytes = this.bytes.subarray(this.length);
      this.length = 0;
    }
    return this.full.splice(0);
  }
}

/** Writes CSV with backpressure and hashes exactly the bytes written, for the manifest. */
export class CsvFileWriter {
  private readonly stream: WriteStream;
  private readonly hash = createHash('sha256');

  constructor(path: string, header: readonly string[]) {
    this.stream = createWriteStream(path, { flags: 'wx', mode: 0o640 });
    this.push(Buffer.from(csvLine(header), 'utf8'));
  }

  async writeBytes(chunks: readonly Buffer[]): Promise<void> {
    let drained = true;
    for (const chunk of chunks) drained = this.push(chunk) && drained;
    if (!drained) await once(this.stream, 'drain');
  }

  private push(bytes: Buffer): boolean {
    this.hash.update(bytes);
    return this.stream.write(bytes);
  }

  /** Closes the file; the SHA-256 of all its bytes. */
  async close(): Promise<string> {
    this.stream.end();
    await once(this.stream, 'finish');
    return this.hash.digest('hex');
  }
}
