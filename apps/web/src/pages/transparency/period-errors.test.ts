import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error';
import { periodErrors } from './period-errors';

describe('periodErrors', () => {
  it("puts the API's field messages on their fields", () => {
    const error = new ApiError(400, 'validation_failed', 'Invalid', { to: ['to must be a date'] });
    expect(periodErrors(error)).toEqual({ to: 'to must be a date' });
  });

  it('puts a rule across both fields on the field its message names first', () => {
    const error = new ApiError(
      400,
      'validation_failed',
      'from (2026-06-30) must not be after to (2026-01-01)',
    );
    expect(periodErrors(error)).toEqual({ from: 'from (2026-06-30) must not be after to (2026-01-01)' });
    expect(periodErrors(new ApiError(400, 'validation_failed', 'to must be a date'))).toEqual({
      to: 'to must be a date',
    });
  });

  it('leaves the fields alone for anything but a 400', () => {
    expect(periodErrors(new ApiError(0, 'unreachable', 'from nowhere'))).toEqual({});
    expect(periodErrors(null)).toEqual({});
  });
});
