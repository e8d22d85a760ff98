import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { PreviewBody } from './file-contents';

describe('a file without a table record, shown to the checker', () => {
  it('shows a CSV as a table: the first row as column headers, every cell as text', () => {
    render(
      <PreviewBody
        fileName="by-region.csv"
        preview={{
          kind: 'table',
          rows: [
            ['region', 'admissions'],
            ['North', '120'],
            ['=1+1', '95'],
          ],
          totalRows: 3,
          totalCols: 2,
          truncated: false,
        }}
      />,
    );
    const table = screen.getByRole('table', { name: 'by-region.csv, as collected' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['region', 'admissions']);
    expect(
      within(table)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['North', '120', '=1+1', '95']);
    expect(screen.queryByText(/The file is large/)).toBeNull();
  });

  it('says how much of a large file it shows', () => {
    render(
      <PreviewBody
        fileName="big.csv"
        preview={{
          kind: 'table',
          rows: [
            ['a', 'b'],
            ['1', '2'],
          ],
          totalRows: 10_001,
          totalCols: 75,
          truncated: true,
        }}
      />,
    );
    expect(screen.getByText(/first 1 of 10,000 rows and 2 of 75 columns/)).toBeTruthy();
  });

  it('shows text as written, and says why an image is not shown', () => {
    const { unmount } = render(
      <PreviewBody
        fileName="notes.txt"
        preview={{ kind: 'text', text: 'Line 1\nLine 2', truncated: true }}
      />,
    );
    expect(screen.getByLabelText('notes.txt, as collected').textContent).toBe('Line 1\nLine 2');
    expect(screen.getByText('The file is long: this is its start.')).toBeTruthy();
    unmount();
    render(<PreviewBody fileName="plot.png" preview={{ kind: 'none', reason: 'An image is not shown.' }} />);
    expect(screen.getByText('An image is not shown.')).toBeTruthy();
  });
});
