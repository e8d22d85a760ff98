/** A record or ledger that does not follow its schema; the message names every offending path. */
export class RecordError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `invalid record: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`,
    );
    this.name = 'RecordError';
  }
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects problems while reading untrusted JSON, so one run reports them all. */
export class JsonReader {
  readonly problems: string[] = [];

  fail(path: string, message: string): void {
    this.problems.push(`${path} ${message}`);
  }

  object(value: unknown, path: string): Json {
    if (isObject(value)) return value;
    this.fail(path, 'must be an object');
    return {};
  }

  array(value: unknown, path: string): unknown[] {
    if (Array.isArray(value)) return value;
    this.fail(path, 'must be an array');
    return [];
  }

  string(value: unknown, path: string): string {
    if (typeof value === 'string') return value;
    this.fail(path, 'must be a string');
    return '';
  }

  optionalString(value: unknown, path: string): string | undefined {
    return value === undefined ? undefined : this.string(value, path);
  }

  number(value: unknown, path: string): number {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.fail(path, 'must be a finite number');
    return 0;
  }

  optionalNumber(value: unknown, path: string): number | undefined {
    return value === undefined ? undefined : this.number(value, path);
  }

  count(value: unknown, path: string): number {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
    this.fail(path, 'must be a whole number of at least 0');
    return 0;
  }

  optionalCount(value: unknown, path: string): number | undefined {
    return value === undefined ? undefined : this.count(value, path);
  }

  boolean(value: unknown, path: string): boolean {
    if (typeof value === 'boolean') return value;
    this.fail(path, 'must be true or false');
    return false;
  }

  strings(value: unknown, path: string): string[] {
    return this.array(value, path).map((item, i) => this.string(item, `${path}[${i}]`));
  }

  oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.fail(path, `must be one of ${allowed.join(', ')}`);
    return allowed[0];
  }
}
