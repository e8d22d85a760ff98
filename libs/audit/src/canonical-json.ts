/**
 * Canonical JSON: object keys sorted by code point, no whitespace, numbers as JSON.stringify writes them.
 * Two equal values always give the same text, which is what makes a hash over an event reproducible after
 * the event has been through Postgres jsonb (which reorders keys).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      if (value.includes('\u0000')) throw new TypeError('strings in audit events cannot contain NUL');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('audit events cannot hold NaN or Infinity');
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
        throw new TypeError('audit events cannot hold integers beyond 2^53; store them as strings');
      }
      return JSON.stringify(Object.is(value, -0) ? 0 : value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      if (Object.getPrototypeOf(value) !== Object.prototype) {
        throw new TypeError('audit events hold plain JSON only; convert dates and class instances first');
      }
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, item]) => item !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`audit events cannot hold a ${typeof value}`);
  }
}
