import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-error';
import { fieldError, RefusalSummary } from './refusal';

describe('RefusalSummary', () => {
  it("shows a 409's reason under a title saying what kind of refusal it is", () => {
    const conflict = ApiError.fromBody(409, {
      statusCode: 409,
      code: 'illegal_transition',
      message: 'Cannot submit a project that is in_review',
    });
    render(<RefusalSummary error={conflict} />);
    expect(screen.getByRole('heading', { name: 'This cannot be done now' })).toBeTruthy();
    expect(screen.getByText('Cannot submit a project that is in_review')).toBeTruthy();
  });

  it("lists a 400's field messages, each linking to its field", () => {
    const invalid = ApiError.fromBody(400, {
      code: 'validation_failed',
      message: 'Invalid request: title',
      details: { fields: { title: ['title must be shorter than or equal to 200 characters'] } },
    });
    render(<RefusalSummary error={invalid} fieldIds={{ title: 'project-title' }} />);
    const link = screen.getByRole('link', { name: 'title must be shorter than or equal to 200 characters' });
    expect(link.getAttribute('href')).toBe('#project-title');
    expect(fieldError(invalid, 'title')).toBe('title must be shorter than or equal to 200 characters');
    expect(fieldError(invalid, 'laySummary')).toBeUndefined();
  });

  it('says the service could not be reached when the request never got an answer', () => {
    render(<RefusalSummary error={ApiError.unreachable()} />);
    expect(screen.getByRole('heading', { name: 'The service could not be reached' })).toBeTruthy();
  });
});
