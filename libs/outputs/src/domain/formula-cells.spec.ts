import { DEFAULT_RULE_SET } from '@tre/sdc';
import { checkOutputFile } from './check-file';
import { checkerCopy } from './checker-copy';
import { findFormulaCells, isFormulaCell } from './formula-cells';

const PAYLOAD = "=cmd|' /C calc'!A0";
const check = (fileName: string, kind: 'csv' | 'json', content: string) =>
  checkOutputFile({ fileName, kind, content: Buffer.from(content), record: null }, DEFAULT_RULE_SET, {
    released: [],
  });

describe('cells a spreadsheet would run', () => {
  it('knows a formula from a number', () => {
    for (const cell of [
      PAYLOAD,
      '+1+1',
      '-2+3',
      '@SUM(A1)',
      '\t=1',
      '\r=1',
      ' =1',
      '\uFF1D1+1',
      '=HYPERLINK("x")',
    ])
      expect({ cell, formula: isFormulaCell(cell) }).toEqual({ cell, formula: true });
    for (const cell of ['-5', '+5', '-1.5e3', '-', '', '12', 'x', 'a=b', '1,234'])
      expect({ cell, formula: isFormulaCell(cell) }).toEqual({ cell, formula: false });
  });

  it('flags each formula cell of a CSV or JSON table to the checker as a rule result naming the cell', () => {
    const result = check('t.csv', 'csv', `age,F,M\nyoung,50,40\n"${PAYLOAD.replace(/"/g, '""')}",30,-4\n`);
    expect(result.status).toBe('manual');
    expect(result.flags).toContainEqual(
      expect.objectContaining({ rule: 'formula_cell', outcome: 'review', cell: 'row 3, column 1' }),
    );
    const json = check('t.json', 'json', JSON.stringify({ values: [[1, '@SUM(A1:A9)']] }));
    expect(json.flags.filter((f) => f.rule === 'formula_cell').map((f) => f.cell)).toEqual([
      '$["values"][0][1]',
    ]);
    expect(findFormulaCells('csv', 'a,b\n-1,2\n')).toEqual([]);
  });

  it("serves a checker a copy no spreadsheet can run, and leaves safe files' bytes alone", () => {
    const stored = Buffer.from(`age,n\n${PAYLOAD},12\n+1+1,-3\n`);
    const copy = checkerCopy('t.csv', 'text/csv', stored);
    expect(copy.mediaType).toBe('text/plain; charset=utf-8');
    expect(copy.neutralisedCells).toBe(2);
    const text = copy.content.toString();
    expect(text).toContain(`'=cmd|' /C calc'!A0`);
    // Every cell of the copy is inert.
    expect(findFormulaCells('csv', text)).toEqual([]);
    const json = checkerCopy(
      't.json',
      'application/json',
      Buffer.from(JSON.stringify({ values: [[PAYLOAD]] })),
    );
    expect(findFormulaCells('json', json.content.toString())).toEqual([]);
    expect(json.neutralisedCells).toBe(1);
    const safe = Buffer.from('age,n\nyoung,12\n');
    const plain = checkerCopy('t.csv', 'text/csv', safe);
    expect(plain.content).toBe(safe);
    expect(plain.neutralisedCells).toBe(0);
    expect(checkerCopy('f.png', 'image/png', safe).mediaType).toBe('image/png');
  });

  it('flags JSON too deep to scan for a person instead of failing, and never overflows the stack', () => {
    const deep = `${'['.repeat(100_000)}"=1+1"${']'.repeat(100_000)}`;
    const result = check('deep.json', 'json', deep);
    expect(result.flags).toContainEqual(
      expect.objectContaining({
        rule: 'formula_cell',
        outcome: 'review',
        reason: expect.stringMatching(/too deep/),
      }),
    );
    const copy = checkerCopy('deep.json', 'application/json', Buffer.from(deep));
    expect(copy.mediaType).toBe('text/plain; charset=utf-8');
  });
});
