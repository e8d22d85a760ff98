import { sniffOutputFile } from './sniff';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const PDF = Buffer.from('%PDF-1.7\n%\xe2\xe3\n1 0 obj\n', 'latin1');
const tar = (): Buffer => {
  const block = Buffer.alloc(512);
  block.write('data.csv', 0);
  block.write('ustar', 257, 'latin1');
  return block;
};
const bytes = (...values: number[]): Buffer => Buffer.concat([Buffer.from(values), Buffer.alloc(32)]);

describe('output file sniffing', () => {
  it.each<[string, Buffer | string, string]>([
    ['table.csv', 'age,n\n0-15,40\n16-64,120\n', 'text/csv'],
    ['table.CSV', '\ufeffage,n\r\n0-15,40\r\n', 'text/csv'],
    ['results.json', '{"values": [[1, 2]]}', 'application/json'],
    ['notes.txt', 'Ünïcödé is fine.\n', 'text/plain'],
    ['figure.png', PNG, 'image/png'],
    ['report.pdf', PDF, 'application/pdf'],
  ])('accepts %s', (name, content, mediaType) => {
    expect(sniffOutputFile(name, Buffer.isBuffer(content) ? content : Buffer.from(content))).toEqual({
      ok: true,
      kind: name.split('.')[1].toLowerCase(),
      mediaType,
    });
  });

  it.each<[string, Buffer | string, RegExp]>([
    ['table.csv', bytes(0x7f, 0x45, 0x4c, 0x46), /ELF/],
    ['table.csv', bytes(0x4d, 0x5a, 0x90, 0x00), /Windows executable/],
    ['figure.png', bytes(0xcf, 0xfa, 0xed, 0xfe), /Mach-O/],
    ['figure.png', bytes(0x50, 0x4b, 0x03, 0x04), /ZIP/],
    ['report.pdf', bytes(0x1f, 0x8b, 0x08), /gzip/],
    ['notes.txt', bytes(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c), /7z/],
    ['notes.txt', Buffer.from('Rar!\x1a\x07\x00', 'latin1'), /RAR/],
    ['notes.txt', tar(), /tar/],
    ['analysis.txt', '#!/usr/bin/env python3\nprint(1)\n', /script/],
    ['table.csv', PNG, /content is a PNG/],
    ['notes.txt', PDF, /content is a PDF/],
    ['figure.png', PDF, /not a PNG/],
    ['report.pdf', 'just text', /not a PDF/],
    ['notes.txt', Buffer.from([0x68, 0x00, 0x69]), /NUL/],
    ['notes.txt', Buffer.from([0x68, 0xc3, 0x28]), /UTF-8/],
    ['results.json', '{"a": ', /not valid JSON/],
    ['table.csv', 'a,b\n1,2,3\n', /rectangular/],
    ['table.csv', 'a,"b\n1,2\n', /not valid CSV/],
    ['table.csv', '\n\n', /empty CSV/],
    ['table.csv', '', /empty/],
    ['model.rds', 'x', /only csv, json, txt, png, pdf/],
    ['README', 'x', /only csv/],
  ])('refuses %s holding the wrong thing', (name, content, reason) => {
    const result = sniffOutputFile(name, Buffer.isBuffer(content) ? content : Buffer.from(content));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });
});
