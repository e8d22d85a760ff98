import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RULE_SET } from '@tre/sdc';
import { loadOutputRules, OutputRulesError, rulesIdentity } from './output-rules';

describe("the TRE's own rule set (OUTPUT_RULES_FILE)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'tre-rules-'));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads a rule set over the defaults and identifies it by name, version and SHA-256', () => {
    const rules = loadOutputRules(
      file('strict.json', JSON.stringify({ name: 'tre-strict', version: '2.0.0', threshold: 20 })),
    );
    expect(rules).toMatchObject({
      name: 'tre-strict',
      version: '2.0.0',
      threshold: 20,
      nk: DEFAULT_RULE_SET.nk,
    });
    const id = rulesIdentity(rules);
    expect(id).toEqual({
      name: 'tre-strict',
      version: '2.0.0',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(id.sha256).not.toBe(rulesIdentity(DEFAULT_RULE_SET).sha256);
    // The same settings hash the same, however the file was written.
    const again = loadOutputRules(
      file('same.json', `{ "threshold": 20, "version": "2.0.0", "name": "tre-strict" }\n`),
    );
    expect(rulesIdentity(again).sha256).toBe(id.sha256);
    expect(loadOutputRules('')).toBe(DEFAULT_RULE_SET);
  });

  it('refuses a file that cannot be used, naming the file and every problem', () => {
    const bad = file('bad.json', JSON.stringify({ threshold: 0, nk: { k: 2 }, colour: 'red' }));
    let error: unknown;
    try {
      loadOutputRules(bad);
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(OutputRulesError);
    const message = (error as Error).message;
    expect(message).toContain(bad);
    expect(message).toMatch(/threshold/);
    expect(message).toMatch(/nk\.k/);
    expect(message).toMatch(/colour/);
    expect(() => loadOutputRules(file('broken.json', '{ "threshold": '))).toThrow(/is not JSON/);
    expect(() => loadOutputRules(join(dir, 'absent.json'))).toThrow(/absent\.json cannot be read/);
  });
});
