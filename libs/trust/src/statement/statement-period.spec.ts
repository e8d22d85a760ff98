import { ValidationError } from '@tre/core';
import { statementPeriod } from './statement-period';

describe('statementPeriod', () => {
  const now = new Date('2027-03-15T12:00:00Z');

  it('covers whole days, both ends included', () => {
    const period = statementPeriod('2027-01-01', '2027-01-31', now);
    expect(period.start.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(period.end.toISOString()).toBe('2027-02-01T00:00:00.000Z');
  });

  it('defaults to the year ending today', () => {
    expect(statementPeriod(undefined, undefined, now)).toMatchObject({
      from: '2026-03-16',
      to: '2027-03-15',
    });
  });

  it('refuses impossible dates, other formats and a period that runs backwards', () => {
    for (const bad of ['2027-02-30', '2027-1-01', '01/02/2027', '2027-01-01T00:00:00Z', ''])
      expect(() => statementPeriod(bad, '2027-03-01', now)).toThrow(ValidationError);
    expect(() => statementPeriod('2027-03-02', '2027-03-01', now)).toThrow(/must not be after/);
    expect(() => statementPeriod('1900-01-01', '2027-03-01', now)).toThrow(/between 1970/);
    expect(() => statementPeriod('1971-01-01', '2027-03-01', now)).toThrow(/at most/);
    expect(statementPeriod('2027-03-01', '2027-03-01', now).from).toBe('2027-03-01');
  });
});
