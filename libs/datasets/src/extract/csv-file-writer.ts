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
const SHORT_COPY = 96;
const MAX_SPARE = 4;
const EMPTY = Buffer.alloc(0);

/**
 * CSV bytes built in place: rows are written into large buffers, which are handed to the file writer whole,
 * so no string or array is made per row. A full buffer is not written into again until the file stream has
 * written it and handed it back (recycle); reusing a few buffers instead of allocating one per megabyte spares
 * the full garbage collections that external memory churn triggers.
 */
export class CsvBytes {
  bytes: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  length = 0;
  /** Bytes in buffers before the current one: `offset + length` is where the next byte lands in the stream. */
  offset = 0;
  private readonly full: Buffer[] = [];
  private readonly spare: Buffer[] = [];

  /** Makes room for n more bytes at `length`. */
  reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    if (this.length > 0) this.full.push(this.bytes.subarray(0, this.length));
    this.offset += this.length;
    this.bytes = (n <= CHUNK_BYTES && this.spare.pop()) || Buffer.allocUnsafe(Math.max(CHUNK_BYTES, n));
    this.length = 0;
  }

  /** Takes back a buffer from take() once it has been written out. */
  recycle(chunk: Buffer): void {
    if (chunk.byteOffset === 0 && chunk.buffer.byteLength === CHUNK_BYTES && this.spare.length < MAX_SPARE)
      this.spare.push(Buffer.from(chunk.buffer, 0, CHUNK_BYTES));
  }

  byte(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  copy(source: Uint8Array, start: number, end: number): void {
    this.reserve(end - start);
    if (end - start > SHORT_COPY) {
      this.bytes.set(source.subarray(start, end), this.length);
      this.length += end - start;
      return;
    }
    // Most values are a few bytes long, where a loop beats Buffer#copy's argument checks.
    const bytes = this.bytes;
    let at = this.length;
    for (let i = start; i < end; i += 1) bytes[at++] = source[i];
    this.length = at;
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
      this.offset += this.length;
      // Never write on behind a handed-over part: it may be recycled whole, so the next byte takes a buffer.
      this.bytes = EMPTY;
      this.length = 0;
    }
    return this.full.splice(0);
  }
}

/** Writes CSV with backpressure and hashes exactly the bytes written, for the manifest. */
export class CsvFileWriter {
  private readonly stream: WriteStream;
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private error?: Error;
  /** Length of the header line: where the first row starts in the file. */
  readonly headerBytes: number;

  constructor(path: string, header: readonly string[]) {
    this.stream = createWriteStream(path, { flags: 'wx', mode: 0o640 });
    // Kept, not thrown from an event: a folder removed under a build (a sweep that judged it dead) must fail
    // the build, not the process.
    this.stream.on('error', (error) => (this.error ??= error));
    const line = Buffer.from(csvLine(header), 'utf8');
    this.headerBytes = line.length;
    this.push(line);
  }

  /** Writes chunks in order; `written` gets each back once the file has it, free for reuse. */
  async writeBytes(chunks: readonly Buffer[], written?: (chunk: Buffer) => void): Promise<void> {
    this.failIfBroken();
    let drained = true;
    for (const chunk of chunks) drained = this.push(chunk, written) && drained;
    if (!drained) await once(this.stream, 'drain');
  }

  private push(bytes: Buffer, written?: (chunk: Buffer) => void): boolean {
    this.hash.update(bytes);
    this.bytes += bytes.length;
    return this.stream.write(bytes, (error) => error || written?.(bytes));
  }

  private failIfBroken(): void {
    if (this.error) throw this.error;
  }

  /** Closes the file; the SHA-256 and length of all its bytes (the manifest lists both). */
  async close(): Promise<{ sha256: string; bytes: number }> {
    this.failIfBroken();
    this.stream.end();
    await once(this.stream, 'finish');
    this.failIfBroken();
    return { sha256: this.hash.digest('hex'), bytes: this.bytes };
  }
}
