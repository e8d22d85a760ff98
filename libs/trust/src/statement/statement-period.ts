import { ValidationError } from '@tre/core';

/** A statement's period: whole days, `from` and `to` both included, in UTC. */
export interface StatementPeriod {
  readonly from: string;
  readonly to: string;
  /** [start, end) as instants: from 00:00 of `from` to 00:00 of the day after `to`. */
  readonly start: Date;
  readonly end: Date;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
/** A year, less a day: the default period ends today. */
const DEFAULT_DAYS = 365;
/** Long enough for any report, short enough that one request cannot ask Postgres for centuries of rows. */
export const MAX_PERIOD_DAYS = 366 * 20;

function parseDay(name: string, value: string): Date {
  const at = new Date(`${value}T00:00:00.000Z`);
  if (!DAY.test(value) || Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== value)
    throw new ValidationError(`${name} must be a date as YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return at;
}

/** Validates `from` and `to` (either may be left out): a 400 that says why, never a guess. */
export function statementPeriod(
  from: string | undefined,
  to: string | undefined,
  now: Date = new Date(),
): StatementPeriod {
  const toDay = to ?? now.toISOString().slice(0, 10);
  const end = new Date(parseDay('to', toDay).getTime() + DAY_MS);
  const fromDay = from ?? new Date(end.getTime() - DEFAULT_DAYS * DAY_MS).toISOString().slice(0, 10);
  const start = parseDay('from', fromDay);
  if (start.getUTCFullYear() < 1970 || end.getUTCFullYear() > 9999)
    throw new ValidationError('from and to must lie between 1970-01-01 and 9999-12-30');
  if (start.getTime() >= end.getTime())
    throw new ValidationError(`from (${fromDay}) must not be after to (${toDay})`);
  if (end.getTime() - start.getTime() > MAX_PERIOD_DAYS * DAY_MS)
    throw new ValidationError(`the period may be at most ${MAX_PERIOD_DAYS} days long`);
  return { from: fromDay, to: toDay, start, end };
}
