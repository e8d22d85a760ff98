import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RULE_SET } from '../rules/rule-set';
import { parseRuleSet } from '../rules/parse-rule-set';
import { checkRecord } from './check-record';
import { RECORD_SCHEMA } from './record-types';
import { validateRecord } from './validate-record';

const schema = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(__dirname, '../../schema', name), 'utf8')) as Record<string, unknown>;

describe('the published JSON Schemas agree with the code', () => {
  it('every example in the record schema is read and checked', () => {
    const examples = schema('sdc-record.v1.schema.json').examples as unknown[];
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples)
      expect(checkRecord(validateRecord(example), DEFAULT_RULE_SET).status).toBe('pass');
  });

  it('names the same schema identifier the validator expects', () => {
    const properties = schema('sdc-record.v1.schema.json').properties as Record<string, { const?: string }>;
    expect(properties.schema.const).toBe(RECORD_SCHEMA);
  });

  it('the rule-set schema defaults are the ones the engine uses', () => {
    const properties = schema('rule-set.v1.schema.json').properties as Record<string, { default?: unknown }>;
    const defaults = Object.fromEntries(
      Object.entries(properties)
        .filter(([, p]) => p.default !== undefined)
        .map(([k, p]) => [k, p.default]),
    );
    expect(parseRuleSet(defaults)).toMatchObject(defaults);
    expect(defaults).toMatchObject({
      threshold: DEFAULT_RULE_SET.threshold,
      zerosDisclosive: DEFAULT_RULE_SET.zerosDisclosive,
      minDof: DEFAULT_RULE_SET.minDof,
    });
  });
});
