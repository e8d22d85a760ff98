import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CollectionSteps, type CollectionView } from './collection-progress';

const step = (name: string, state: CollectionView['steps'][number]['state'], note: string | null = null) => ({
  name,
  state,
  note,
  error: null,
});

describe('CollectionSteps', () => {
  it("shows each of the worker's steps in words while the collection runs, and no outcome yet", () => {
    const collection: CollectionView = {
      id: 'c1',
      state: 'running',
      settled: false,
      steps: [
        step('issue-grant', 'done', 'grant g1 for 1 path(s)'),
        step('collector-job', 'running'),
        step('clean-up', 'pending'),
      ],
      items: [{ path: 'table.csv', recordPath: null, result: null }],
      error: null,
    };
    render(<CollectionSteps collection={collection} />);
    const steps = screen.getByRole('list', { name: 'Collection steps' });
    expect(within(steps).getByText('Issue a one-time grant for this file')).toBeTruthy();
    expect(within(steps).getByText('grant g1 for 1 path(s)')).toBeTruthy();
    expect(within(steps).getByText(/In progress/)).toBeTruthy();
    expect(within(steps).getByText(/Not started/)).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says why a file was not added once the collection has failed', () => {
    const reason = 'the collector Job did not finish within its deadline of 300 s';
    render(
      <CollectionSteps
        collection={{
          id: 'c2',
          state: 'failed',
          settled: true,
          steps: [{ ...step('wait-for-job', 'failed'), error: reason }, step('clean-up', 'done')],
          items: [{ path: 'table.csv', recordPath: null, result: { status: 'failed', reason } }],
          error: reason,
        }}
      />,
    );
    expect(screen.getByRole('alert').textContent).toBe(`table.csv was not added: ${reason}`);
    expect(within(screen.getByRole('list', { name: 'Collection steps' })).getByText(/Failed/)).toBeTruthy();
  });
});
