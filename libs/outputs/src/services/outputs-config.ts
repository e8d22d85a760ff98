import type { AppConfig } from '@tre/core';
import type { RuleSet } from '@tre/sdc';
import { loadOutputRules, rulesIdentity, type RulesIdentity } from './output-rules';
import { ObjectStore } from '../store/object-store';

export const OUTPUTS_SETTINGS = Symbol('OUTPUTS_SETTINGS');

export interface OutputsSettings {
  readonly maxFileBytes: number;
  readonly maxFiles: number;
  readonly reviewsRequired: number;
  readonly linkTtlSeconds: number;
  /** The TRE's disclosure-control rules; every result names the set and version it was judged by. */
  readonly rules: RuleSet;
  /** Name, version and SHA-256 of `rules`, recorded on every check, review and release manifest. */
  readonly rulesIdentity: RulesIdentity;
}

export const outputsSettings = (config: AppConfig): OutputsSettings => {
  const rules = loadOutputRules(config.outputRulesFile);
  return {
    maxFileBytes: config.outputMaxFileBytes,
    maxFiles: config.outputMaxFiles,
    reviewsRequired: config.outputReviewsRequired,
    linkTtlSeconds: config.outputLinkTtlSeconds,
    rules,
    rulesIdentity: rulesIdentity(rules),
  };
};

export const objectStoreFor = (config: AppConfig): ObjectStore => new ObjectStore(config.outputStoreDir);
