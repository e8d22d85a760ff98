import { mkdtempSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvBytes, CsvFileWriter, csvField } from './csv-file-writer';

describe('CsvBytes and CsvFileWriter', () => {
  it('quotes fields as csvLine does', () => {
    expect([null, '', 'a', 'b,c', 'say "x"', 'two\nlines', 'cr\r', 'café'].map(csvField)).toEqual([
      '',
      '',
      'a',
      '"b,c"',
      '"say ""x"""',
      '"two\nlines"',
      '"cr\r"',
      'café',
    ]);
  });

  it('fills megabyte buffers, hands over only full ones until the end, and reuses written ones', async () => {
    const csv = new CsvBytes();
    const row = Buffer.from('0123456789abcdef,2024,"x"\n');
    const rows = 100_000; // about 2.6 MB, so three buffers
    const path = join(mkdtempSync(join(tmpdir(), 'tre-csv-')), 'out.csv');
    const writer = new CsvFileWriter(path, ['a', 'b']);
    const handed: Buffer[] = [];
    const recycled: Buffer[] = [];
    for (let i = 0; i < rows; i += 1) {
      csv.copy(row, 0, row.length);
      const full = csv.take(false);
      handed.push(...full);
      await writer.writeBytes(full, (chunk) => {
        recycled.push(chunk);
        csv.recycle(chunk);
      });
    }
    expect(handed.length).toBe(2);
    expect(handed.every((chunk) => chunk.length > 1_000_000 - row.length)).toBe(true);
    const rest = csv.take(true);
    await writer.writeBytes(rest);
    expect(csv.take(true)).toEqual([]);
    const { sha256, bytes } = await writer.close();
    const written = readFileSync(path);
    expect(written.toString('latin1')).toBe(`a,b\n${row.toString('latin1').repeat(rows)}`);
    expect(sha256).toBe(createHash('sha256').update(written).digest('hex'));
    expect(bytes).toBe(written.length);
    // The first buffer came back once written, and the third row buffer reused it instead of a new allocation.
    expect(recycled.length).toBeGreaterThan(0);
    expect(handed[1].buffer === recycled[0].buffer || rest[0].buffer === recycled[0].buffer).toBe(true);
  });

  it('never writes behind a part handed over by take(true), which may come back for reuse', () => {
    const csv = new CsvBytes();
    csv.copy(Buffer.from('first'), 0, 5);
    const [first] = csv.take(true);
    const filler = Buffer.alloc(1000, 0x2e);
    csv.copy(Buffer.from('second'), 0, 6);
    csv.recycle(first); // the file has written `first`; its buffer may be reused from now on
    const handed: Buffer[] = [];
    for (let i = 0; i < 3_000; i += 1) {
      csv.copy(filler, 0, filler.length);
      handed.push(...csv.take(false));
    }
    handed.push(...csv.take(true));
    expect(handed[0].subarray(0, 6).toString('latin1')).toBe('second');
    expect(Buffer.concat(handed).length).toBe(6 + 3_000 * filler.length);
  });

  it('takes a value longer than a buffer whole', () => {
    const csv = new CsvBytes();
    const big = Buffer.alloc(3 << 20, 0x61);
    csv.copy(Buffer.from('x'), 0, 1);
    csv.copy(big, 0, big.length);
    const chunks = csv.take(true);
    expect(chunks.map((chunk) => chunk.length)).toEqual([1, big.length]);
  });
});
