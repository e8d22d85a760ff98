import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Schemas } from '../../../api/client';
import { OutputFiles } from './output-files';

const file = (overrides: Partial<Schemas['OutputFileDto']> = {}): Schemas['OutputFileDto'] => ({
  id: 'f1',
  fileName: 'admissions.csv',
  mediaType: 'text/csv',
  sizeBytes: 1234,
  sha256: 'a'.repeat(64),
  hasRecord: true,
  recordType: 'table',
  checkState: 'done',
  conflicted: false,
  decision: 'pending',
  reviews: [],
  provenance: null,
  context: null,
  controls: null,
  table: null,
  check: {
    status: 'fail',
    message: '1 cell under the threshold',
    flags: [
      {
        cell: '12-17 / M',
        col: 1,
        row: 2,
        outcome: 'fail',
        published: true,
        reason: 'count 6 is under the threshold of 10',
        rule: 'threshold',
      },
    ],
    publishedTable: 'match',
    recordType: 'table',
    rules: null,
    suppressedCells: 0,
  },
  ...overrides,
});

describe('OutputFiles', () => {
  it("shows each file's SHA-256, its check in words and the cells it flagged", () => {
    render(<OutputFiles files={[file()]} />);
    expect(screen.getByRole('heading', { name: 'admissions.csv' })).toBeTruthy();
    expect(screen.getByText('a'.repeat(64))).toBeTruthy();
    expect(screen.getByText('Failed the checks')).toBeTruthy();
    const flagged = screen.getByRole('table', { name: 'Cells flagged in admissions.csv' });
    const row = within(flagged).getByRole('row', { name: /12-17 \/ M/ });
    expect(within(row).getByText('count 6 is under the threshold of 10')).toBeTruthy();
    expect(within(row).getByText('Fails')).toBeTruthy();
  });

  it('says a file is not checked yet, and offers removal only where the request may change', async () => {
    const onRemove = vi.fn();
    const { rerender } = render(<OutputFiles files={[file({ checkState: 'pending', check: null })]} />);
    expect(screen.getByText('Not checked yet')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Remove admissions.csv' })).toBeNull();
    rerender(<OutputFiles files={[file({ checkState: 'pending', check: null })]} onRemove={onRemove} />);
    await userEvent.click(screen.getByRole('button', { name: 'Remove admissions.csv' }));
    expect(onRemove).toHaveBeenCalledWith(expect.objectContaining({ id: 'f1' }));
  });
});
