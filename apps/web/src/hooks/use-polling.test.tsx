import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-error';
import { QueryState } from '../components/query-state';
import { StepList, type Step } from '../components/step-list';
import { withQueryClient } from '../test-support';
import { usePolling } from './use-polling';

interface Extract {
  status: 'running' | 'ready';
  steps: Step[];
}

/** A page section showing an extract's steps while it polls, as the researcher's project page will. */
function ExtractProgress({ fetchExtract }: { fetchExtract: () => Promise<Extract> }) {
  const extract = usePolling({
    queryKey: ['extract'],
    queryFn: fetchExtract,
    isSettled: (data) => data.status === 'ready',
    intervalMs: 20,
  });
  return (
    <QueryState query={extract} what="Loading the extract">
      {(data) => <StepList label="Extract progress" steps={data.steps} />}
    </QueryState>
  );
}

const step = (state: Step['state'], detail?: string): Step => ({
  key: 'rows',
  label: 'Rows selected',
  state,
  detail,
});

describe('usePolling with StepList and QueryState', () => {
  it('asks again until the work settles, showing each step as it changes, then stops asking', async () => {
    const answers: Extract[] = [
      { status: 'running', steps: [step('running')] },
      { status: 'running', steps: [step('running', '5,000 rows so far')] },
      { status: 'ready', steps: [step('done', '12,430 rows')] },
    ];
    let calls = 0;
    const fetchExtract = async () => answers[Math.min(calls++, answers.length - 1)];
    render(withQueryClient(<ExtractProgress fetchExtract={fetchExtract} />));
    expect(screen.getByRole('status').textContent).toBe('Loading the extract…');
    await screen.findByText('12,430 rows', undefined, { timeout: 2000 });
    expect(screen.getByRole('list', { name: 'Extract progress' }).textContent).toContain(
      'Rows selected: Done',
    );
    const settledAt = calls;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(calls).toBe(settledAt);
  });

  it('keeps the last progress on screen when a poll fails, with the failure in words above it', async () => {
    let calls = 0;
    const fetchExtract = async (): Promise<Extract> => {
      calls += 1;
      if (calls === 1) return { status: 'running', steps: [step('running', '5,000 rows so far')] };
      throw ApiError.fromBody(503, { message: 'The database is unavailable (timeout); try again shortly' });
    };
    render(withQueryClient(<ExtractProgress fetchExtract={fetchExtract} />));
    await screen.findByText('The database is unavailable (timeout); try again shortly', undefined, {
      timeout: 2000,
    });
    // Not blanked: the steps already shown stay.
    expect(screen.getByText('5,000 rows so far')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'The service had a problem' })).toBeTruthy();
  });
});
