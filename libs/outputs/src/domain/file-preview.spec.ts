import { PREVIEW_MAX_CHARS, PREVIEW_MAX_COLS, PREVIEW_MAX_ROWS, previewOf } from './file-preview';

describe("the checker's view of a file without a table record", () => {
  it('shows a CSV as its rows of cells, quoted commas and line breaks kept in their cell', () => {
    expect(previewOf('t.csv', Buffer.from('a,b\n"x, y","two\nlines"\n'))).toEqual({
      kind: 'table',
      rows: [
        ['a', 'b'],
        ['x, y', 'two\nlines'],
      ],
      totalRows: 2,
      totalCols: 2,
      truncated: false,
    });
  });

  it('shows at most the first rows and columns, and says the file holds more', () => {
    const wide = Array.from({ length: PREVIEW_MAX_COLS + 5 }, (_, i) => `c${i}`).join(',');
    const lines = Array.from({ length: PREVIEW_MAX_ROWS + 10 }, () => wide).join('\n');
    const preview = previewOf('big.csv', Buffer.from(lines));
    expect(preview).toMatchObject({
      kind: 'table',
      totalRows: PREVIEW_MAX_ROWS + 10,
      totalCols: PREVIEW_MAX_COLS + 5,
      truncated: true,
    });
    if (preview.kind !== 'table') throw new Error('not a table');
    expect(preview.rows).toHaveLength(PREVIEW_MAX_ROWS);
    expect(preview.rows.every((row) => row.length === PREVIEW_MAX_COLS)).toBe(true);
  });

  it('shows a malformed CSV as text, so the checker sees the line the checks named', () => {
    expect(previewOf('bad.csv', Buffer.from('a,b\n"unclosed,1\n'))).toEqual({
      kind: 'text',
      text: 'a,b\n"unclosed,1\n',
      truncated: false,
    });
  });

  it('shows text and JSON as text, cut at its limit', () => {
    expect(previewOf('n.txt', Buffer.from('Method notes'))).toEqual({
      kind: 'text',
      text: 'Method notes',
      truncated: false,
    });
    const long = previewOf('n.json', Buffer.from(`"${'x'.repeat(PREVIEW_MAX_CHARS)}"`));
    expect(long).toMatchObject({ kind: 'text', truncated: true });
    if (long.kind === 'text') expect(long.text).toHaveLength(PREVIEW_MAX_CHARS);
  });

  it('does not show images, PDFs, unknown types or bytes that are not text, and says why', () => {
    for (const [name, bytes] of [
      ['plot.png', Buffer.from([0x89, 0x50, 0x4e, 0x47])],
      ['paper.pdf', Buffer.from('%PDF-1.7')],
      ['data.bin', Buffer.from('x')],
      ['t.csv', Buffer.from([0x61, 0x00, 0x62])],
    ] as const)
      expect(previewOf(name, bytes)).toMatchObject({ kind: 'none', reason: expect.any(String) });
  });
});
