import { Injectable, type PipeTransform } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsObject, registerDecorator, ValidateNested, type ValidationOptions } from 'class-validator';
import { DomainError } from '@tre/core';

/** The largest value of a Postgres `integer` column: numbers past it are refused before any query. */
export const MAX_INT4 = 2_147_483_647;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a date written YYYY-MM-DD that exists on the calendar (not 2024-02-30, not 2023-02-29). */
export function isCalendarDate(value: unknown): boolean {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A calendar date written YYYY-MM-DD; an impossible one is the client's mistake, not the database's. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be a date written YYYY-MM-DD that exists', ...options },
      validator: { validate: isCalendarDate },
    });
}

/** A calendar date after today (UTC), for an expiry being set: one already past would deny at once. */
export function IsFutureDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isFutureDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be after today', ...options },
      validator: {
        validate: (value: unknown) =>
          // Not a date at all is IsCalendarDate's to say, once.
          !isCalendarDate(value) || (value as string) > new Date().toISOString().slice(0, 10),
      },
    });
}

/**
 * One nested object of the given class: an array, a string or a missing value where an object belongs is
 * refused here (ValidateNested alone lets an array of empty objects through, and says nothing when absent).
 */
export function NestedObject(type: () => new () => object): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    IsObject({ message: '$property must be an object' })(target, propertyName);
    ValidateNested()(target, propertyName);
    Type(type)(target, propertyName);
  };
}

/** A path parameter that is a positive whole number a Postgres integer can hold (a version, a page). */
@Injectable()
export class PositiveIntPipe implements PipeTransform<unknown, number> {
  // The global validation pipe may already have turned the text into a number (or NaN): read either.
  transform(value: unknown): number {
    const text = String(value);
    const n = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > MAX_INT4) {
      throw new DomainError('validation_failed', `Expected a whole number from 1 to ${MAX_INT4}`, {
        value: text.slice(0, 40),
      });
    }
    return n;
  }
}
