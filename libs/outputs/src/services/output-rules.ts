import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEFAULT_RULE_SET, describeRuleSet, parseRuleSet, RuleSetError, type RuleSet } from '@tre/sdc';

/** Which rule set judged a check, a review or a release: by name, version and the SHA-256 of its content. */
export interface RulesIdentity {
  readonly name: string;
  readonly version: string;
  /** SHA-256 of the effective rule set as canonical JSON (every setting, the defaults filled in). */
  readonly sha256: string;
}

/** A rule-set file the service cannot start with; the message names the file and every problem. */
export class OutputRulesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputRulesError';
  }
}

export function rulesIdentity(rules: RuleSet): RulesIdentity {
  const canonical = JSON.stringify(describeRuleSet(rules));
  return {
    name: rules.name,
    version: rules.version,
    sha256: createHash('sha256').update(canonical, 'utf8').digest('hex'),
  };
}

/**
 * The TRE's own rule set from `OUTPUT_RULES_FILE` (the engine's rule-set schema, on top of its defaults), or
 * the engine's defaults when none is named. Read once at start-up: a file that cannot be read, is not JSON or
 * breaks the schema stops the service with every problem named.
 */
export function loadOutputRules(path: string): RuleSet {
  if (!path) return DEFAULT_RULE_SET;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error: unknown) {
    throw new OutputRulesError(
      `OUTPUT_RULES_FILE ${path} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error: unknown) {
    throw new OutputRulesError(
      `OUTPUT_RULES_FILE ${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    return parseRuleSet(json);
  } catch (error: unknown) {
    if (error instanceof RuleSetError)
      throw new OutputRulesError(
        `OUTPUT_RULES_FILE ${path} is not a usable rule set: ${error.problems.join('; ')}`,
      );
    throw error;
  }
}
