import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { Pager, totalWords } from './pager';

describe('a capped total', () => {
  it('reads "1,000+" when the API stopped counting, and as counted otherwise', () => {
    expect(totalWords(1000, true)).toBe('1,000+');
    expect(totalWords(1000, false)).toBe('1,000');
    expect(totalWords(7)).toBe('7');
  });

  it('keeps the next page open past the counted pages while more may match', () => {
    const onPage = vi.fn();
    render(<Pager page={50} pageSize={20} total={1000} totalIsLowerBound label="Pages" onPage={onPage} />);
    expect(screen.getByText('Page 50 of 50+')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(onPage).toHaveBeenCalledWith(51);
  });

  it('ends at the last page when the total is exact', () => {
    render(<Pager page={50} pageSize={20} total={1000} label="Pages" onPage={() => undefined} />);
    expect(screen.getByText('Page 50 of 50')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Next page' })).toBeNull();
  });
});
