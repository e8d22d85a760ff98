import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { columnStats } from './column-stats';
import { ColumnStatsTable, TableGrid, type GridFlag } from './table-grid';

const TABLE = {
  rows: ['0-15', '16-64', '65+'],
  cols: ['F', 'M'],
  values: [
    [40, 38],
    [120, 131],
    [15, null],
  ],
};
const FLAGS: GridFlag[] = [
  { rule: 'threshold', outcome: 'fail', row: 0, col: 1, published: true, reason: '38 < 50? no: 3 < 10' },
  { rule: 'dominance', outcome: 'review', row: 1, col: 0, published: true, reason: 'look' },
  { rule: 'threshold', outcome: 'fail', row: 2, col: 1, published: false, reason: 'suppressed' },
  { rule: 'published_table', outcome: 'fail', row: null, col: null, published: true, reason: 'file' },
];

const cell = (row: string, col: number) =>
  within(screen.getByRole('row', { name: new RegExp(`^${row}`) })).getAllByRole('cell')[col];

describe('TableGrid', () => {
  it('outlines a failing cell and lists its rule in the cell, in words', () => {
    render(<TableGrid table={TABLE} flags={FLAGS} caption="admissions.csv" />);
    const failing = cell('0-15', 1);
    expect(failing.className).toContain('app-grid__cell--fail');
    expect(failing.textContent).toBe('38Fails: threshold');
    const review = cell('16-64', 0);
    expect(review.className).toContain('app-grid__cell--review');
    expect(review.textContent).toContain('Review: dominance');
    // A clean cell carries no mark.
    expect(cell('0-15', 0).className).toBe('nhsuk-table__cell');
    expect(cell('0-15', 0).textContent).toBe('40');
  });

  it('marks a suppressed cell, whose rule is met by suppression, without outlining it', () => {
    render(<TableGrid table={TABLE} flags={FLAGS} caption="admissions.csv" />);
    const suppressed = cell('65+', 1);
    expect(suppressed.className).toContain('app-grid__cell--suppressed');
    expect(suppressed.className).not.toContain('app-grid__cell--fail');
    expect(suppressed.textContent).toBe('SuppressedMet by suppression: threshold');
  });

  it('has its rows and columns as headers, with the caption naming the table', () => {
    render(<TableGrid table={TABLE} flags={[]} caption="admissions.csv" />);
    expect(screen.getByRole('table', { name: 'admissions.csv' })).toBeTruthy();
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['F', 'M']);
    expect(screen.getAllByRole('rowheader').map((h) => h.textContent)).toEqual(['0-15', '16-64', '65+']);
  });
});

describe('column statistics', () => {
  it('counts rows, missing, range, sum and multiples of 5 per column', () => {
    expect(columnStats(TABLE.cols, TABLE.values)).toEqual([
      { column: 'F', rows: 3, missing: 0, min: 15, max: 120, sum: 175, divisibleBy5: 3 },
      { column: 'M', rows: 3, missing: 1, min: 38, max: 131, sum: 169, divisibleBy5: 0 },
    ]);
  });

  it('shows them as a table a rounded column stands out in', () => {
    render(<ColumnStatsTable stats={columnStats(TABLE.cols, TABLE.values)} />);
    const female = screen.getByRole('row', { name: /^F/ });
    expect(
      within(female)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['3', '0', '15', '120', '175', '3 of 3']);
  });
});
