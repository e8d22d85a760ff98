import { ValidationError } from '@tre/core';
import { RECORD_SCHEMA, RECORD_VERSION } from '@tre/sdc';
import { parseRecord } from './output-request.service';

/** A record's text comes from a person or a collector; what Postgres cannot store is their mistake (a 400). */
const recordWith = (rowLabel: string, key = 'rowVars'): string =>
  JSON.stringify({
    schema: RECORD_SCHEMA,
    version: RECORD_VERSION,
    type: 'table',
    table: {
      [key]: ['age'],
      colVars: ['sex'],
      valueVar: null,
      agg: 'count',
      rows: [rowLabel],
      cols: ['F'],
      margins: false,
      values: [[12]],
      cells: [[{ records: 12 }]],
    },
  });

describe('parseRecord', () => {
  it('reads a valid record', () => {
    expect(parseRecord('t.csv', recordWith('young')).type).toBe('table');
  });

  it('refuses a NUL character in a string or a key, escaped or raw, as a validation error', () => {
    for (const text of [
      recordWith('you\u0000ng'),
      recordWith('young').replace('"young"', '"you\\u0000ng"'),
      recordWith('young', 'row\u0000Vars'),
    ]) {
      expect(() => parseRecord('t.csv', text)).toThrow(ValidationError);
      expect(() => parseRecord('t.csv', text)).toThrow(/NUL/);
    }
  });
});
