import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ListingSteps, type ListingView } from './listing-progress';

const step = (name: string, state: ListingView['steps'][number]['state'], note: string | null = null) => ({
  name,
  state,
  note,
  error: null,
});

describe('ListingSteps', () => {
  it("shows the worker's steps in words while the collector lists, and no outcome yet", () => {
    render(
      <ListingSteps
        listing={{
          id: 'l1',
          workspaceId: 'w1',
          state: 'running',
          settled: false,
          steps: [
            step('issue-grant', 'done', 'grant g1 for one listing of the outputs folder'),
            step('wait-for-job', 'running'),
            step('clean-up', 'pending'),
          ],
          files: null,
          error: null,
        }}
      />,
    );
    const steps = screen.getByRole('list', { name: 'Listing steps' });
    expect(within(steps).getByText('Issue a one-time grant for this listing')).toBeTruthy();
    expect(within(steps).getByText('List the outputs folder')).toBeTruthy();
    expect(within(steps).getByText(/In progress/)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says why the files could not be listed once the listing has failed', () => {
    const reason = 'the collector Job did not finish within its deadline of 300 s';
    render(
      <ListingSteps
        listing={{
          id: 'l2',
          workspaceId: 'w1',
          state: 'failed',
          settled: true,
          steps: [{ ...step('wait-for-job', 'failed'), error: reason }, step('clean-up', 'done')],
          files: null,
          error: reason,
        }}
      />,
    );
    expect(screen.getByRole('alert').textContent).toBe(`The files could not be listed: ${reason}`);
  });
});
