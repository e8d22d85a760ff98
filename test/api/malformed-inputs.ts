import { brotliCompressSync, gzipSync } from 'node:zlib';

/**
 * A bounded, deterministic catalogue of malformed input, thrown at every route by malformed-input.e2e-spec.ts.
 * Nothing is random, so a failure names the exact case to replay.
 */
export interface MalformedCase {
  readonly what: string;
  /** Replaces the route's path parameters (each case changes at most one). */
  readonly params?: Record<string, string>;
  readonly query?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

const JSON_TYPE = { 'Content-Type': 'application/json' };
const deepArrays = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
const deepObjects = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

/** Values put in one path parameter: NUL, numbers past every integer range, broken or odd encodings. */
export const PATH_VALUES = [
  '%00',
  'a%00b',
  '99999999999999999999',
  '2147483648',
  '-1',
  '0',
  '1.5',
  '1e400',
  '%E0%A4%A',
  '%ED%A0%80',
  '%FF',
  'x'.repeat(2000),
  '%F0%9F%92%A9',
  '%E2%80%AE',
  '..%2F..%2Fetc%2Fpasswd',
  '%20',
  'null',
  '%7B%7D',
];

/** Query strings: paging past the integer range, wrong types, NUL, impossible dates, repeated keys. */
export const QUERIES = [
  'page=99999999999999999999',
  'page=1e20',
  'page=2147483648&pageSize=200',
  'page=21474837&pageSize=200',
  'pageSize=0',
  'page=-1',
  'page=abc',
  'page=1&page=2',
  'page[a]=1',
  'q=%00',
  'scope=%00&status=%00',
  'projectId=%00',
  'from=2024-02-30&to=2024-13-45',
  'from=99999-01-01',
  'unknown=1',
  `q=${'x'.repeat(6000)}`,
  'q=%F0%9F%92%A9%E2%80%AE',
  '%00=1',
  'q=%E0%A4%A',
];

/** JSON text put in place of one field, as raw JSON so that numbers past double range survive. */
export const FIELD_VALUES = [
  'null',
  '"\\u0000"',
  '"a\\u0000b"',
  '1e400',
  '99999999999999999999',
  '2147483648',
  '-1',
  'true',
  '[]',
  '{}',
  '[{}]',
  '"2099-02-30"',
  '"2024-13-45"',
  `"${'x'.repeat(20_000)}"`,
  '"\\ud800"',
  '"💩\\u202e"',
  '""',
  deepArrays(100),
];

/** Fewer values one level down, where the validators are the same ones already tried above. */
const NESTED_VALUES = ['null', '"a\\u0000b"', '1e400', '[{}]', '"2099-02-30"', `"${'x'.repeat(20_000)}"`];

const bombs = new Map<number, Buffer>();
/** Small on the wire, twice the body limit once inflated; made once per limit. */
const gzipBomb = (limitBytes: number): Buffer => {
  if (!bombs.has(limitBytes)) bombs.set(limitBytes, gzipSync(' '.repeat(limitBytes * 2)));
  return bombs.get(limitBytes)!;
};
const gzippedDeep = gzipSync(deepArrays(20_000));

/** Whole bodies that are wrong before any field is read, sent to every route that takes a body. */
export function bodyCases(limitBytes: number, validBody: string): MalformedCase[] {
  const json = (
    what: string,
    body: string | Buffer,
    headers: Record<string, string> = {},
  ): MalformedCase => ({
    what,
    body,
    headers: { ...JSON_TYPE, ...headers },
  });
  const garbage = Buffer.from('this is not compressed at all');
  return [
    json('arrays nested 5000 deep', deepArrays(5000)),
    json('objects nested 5000 deep', deepObjects(5000)),
    json('arrays nested 50000 deep', deepArrays(50_000)),
    json('objects nested 40 deep', deepObjects(40)),
    json('truncated JSON', '{"a":'),
    json('trailing comma', '{"a":1,}'),
    json('empty body', ''),
    json('null', 'null'),
    json('an array', '[]'),
    json('a string', '"s"'),
    json('a number past double range', '1e400'),
    json('__proto__ key', '{"__proto__":{"polluted":true}}'),
    json('constructor.prototype', '{"constructor":{"prototype":{"polluted":true}}}'),
    json('NUL in a key', '{"\\u0000":1}'),
    json('byte-order mark', `\ufeff${validBody}`),
    json('invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])),
    json('UTF-16 charset', validBody, { 'Content-Type': 'application/json; charset=utf-16' }),
    json('oversize', `{"a":"${'x'.repeat(limitBytes + 1)}"}`),
    json('corrupt gzip', garbage, { 'Content-Encoding': 'gzip' }),
    json('corrupt brotli', garbage, { 'Content-Encoding': 'br' }),
    json('corrupt deflate', garbage, { 'Content-Encoding': 'deflate' }),
    json('truncated gzip', gzipSync(validBody).subarray(0, 12), { 'Content-Encoding': 'gzip' }),
    json('gzip bomb', gzipBomb(limitBytes), { 'Content-Encoding': 'gzip' }),
    json('gzipped deep nesting', gzippedDeep, { 'Content-Encoding': 'gzip' }),
    json('brotli of valid body', brotliCompressSync(validBody), { 'Content-Encoding': 'br' }),
    json('unknown encoding', validBody, { 'Content-Encoding': 'x-unknown' }),
    json('two encodings', validBody, { 'Content-Encoding': 'gzip, br' }),
    { what: 'text/plain', body: validBody, headers: { 'Content-Type': 'text/plain' } },
    { what: 'XML', body: '<a>1</a>', headers: { 'Content-Type': 'application/xml' } },
    { what: 'multipart without boundary', body: 'x', headers: { 'Content-Type': 'multipart/form-data' } },
    {
      what: 'multipart with garbage',
      body: '--b\r\nContent-Disposition: form-data; name="file"; filename="a\u0000.csv"\r\n\r\nx',
      headers: { 'Content-Type': 'multipart/form-data; boundary=b' },
    },
    {
      what: 'form nested deep with NUL',
      body: `${'a'}${'[b]'.repeat(40)}=1&x=%00`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    },
    { what: 'no content type', body: Buffer.from(validBody), headers: { 'Content-Type': '' } },
    { what: 'odd content type', body: validBody, headers: { 'Content-Type': 'application/json;;;=' } },
  ];
}

/** Header oddities any route may receive. */
export const HEADER_CASES: MalformedCase[] = [
  { what: 'long request id', headers: { 'x-request-id': 'r'.repeat(500) } },
  { what: 'request id with spaces', headers: { 'x-request-id': 'a b c' } },
  { what: 'odd accept', headers: { Accept: 'application/xml;q=abc, */*;q=-1' } },
  { what: 'huge header', headers: { 'X-Padding': 'p'.repeat(12_000) } },
];

const PLACEHOLDER = '__MALFORMED__';

/**
 * Where a malformed value goes: one field of an otherwise valid body, one nested field, and (for a partial
 * update, where a body of one field is valid) the field alone.
 */
interface Placement {
  readonly label: string;
  readonly body: unknown;
  readonly values: readonly string[];
}

function placements(base: Record<string, unknown>, alone: boolean): Placement[] {
  const out: Placement[] = [];
  for (const [field, original] of Object.entries(base)) {
    if (alone) out.push({ label: `${field} alone`, body: { [field]: PLACEHOLDER }, values: FIELD_VALUES });
    out.push({ label: field, body: { ...base, [field]: PLACEHOLDER }, values: FIELD_VALUES });
    const inner = Array.isArray(original) ? (original[0] as unknown) : original;
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) continue;
    for (const innerField of Object.keys(inner)) {
      const changed = { ...(inner as Record<string, unknown>), [innerField]: PLACEHOLDER };
      const value = Array.isArray(original) ? [changed, ...original.slice(1)] : changed;
      out.push({ label: `${field}.${innerField}`, body: { ...base, [field]: value }, values: NESTED_VALUES });
    }
  }
  return out;
}

/** Every malformed value in every placement, plus the body without each field, as raw JSON text. */
export function fieldCases(base: Record<string, unknown>, alone: boolean): MalformedCase[] {
  const cases: MalformedCase[] = [];
  for (const { label, body, values } of placements(base, alone)) {
    const text = JSON.stringify(body);
    for (const value of values) {
      cases.push({
        what: `${label}=${value.slice(0, 24)}`,
        headers: JSON_TYPE,
        body: text.replace(`"${PLACEHOLDER}"`, () => value),
      });
    }
  }
  for (const field of Object.keys(base)) {
    cases.push({
      what: `without ${field}`,
      headers: JSON_TYPE,
      body: JSON.stringify({ ...base, [field]: undefined }),
    });
  }
  return cases;
}
