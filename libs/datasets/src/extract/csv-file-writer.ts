import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

const needsQuoting = /[",\r\n]/;

export function csvLine(values: readonly (string | null)[]): string {
  return `${values
    .map((value) =>
      value === null ? '' : needsQuoting.test(value) ? `"${value.replace(/"/g, '""')}"` : value,
    )
    .join(',')}\n`;
}

/** Writes CSV with backpressure and hashes exactly the bytes written, for the manifest. */
export class CsvFileWriter {
  private readonly stream: WriteStream;
  private readonly hash = createHash('sha256');
  private rows = 0;
  private bytes = 0;

  constructor(path: string, header: readonly string[]) {
    this.stream = createWriteStream(path, { flags: 'wx', mode: 0o640 });
    this.push(csvLine(header));
  }

  async writeRows(lines: string[]): Promise<void> {
    if (lines.length === 0) return;
    this.rows += lines.length;
    if (!this.push(lines.join(''))) await once(this.stream, 'drain');
  }

  private push(chunk: string): boolean {
    const bytes = Buffer.from(chunk, 'utf8');
    this.hash.update(bytes);
    this.bytes += bytes.length;
    return this.stream.write(bytes);
  }

  async close(): Promise<{ rows: number; sha256: string; bytes: number }> {
    this.stream.end();
    await once(this.stream, 'finish');
    return { rows: this.rows, sha256: this.hash.digest('hex'), bytes: this.bytes };
  }
}
