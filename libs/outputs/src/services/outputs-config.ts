import type { AppConfig } from '@tre/core';
import { DEFAULT_RULE_SET, type RuleSet } from '@tre/sdc';
import { ObjectStore } from '../store/object-store';

export const OUTPUTS_SETTINGS = Symbol('OUTPUTS_SETTINGS');

export interface OutputsSettings {
  readonly maxFileBytes: number;
  readonly maxFiles: number;
  readonly reviewsRequired: number;
  readonly linkTtlSeconds: number;
  /** The TRE's disclosure-control rules; every result names the set and version it was judged by. */
  readonly rules: RuleSet;
}

export const outputsSettings = (config: AppConfig): OutputsSettings => ({
  maxFileBytes: config.outputMaxFileBytes,
  maxFiles: config.outputMaxFiles,
  reviewsRequired: config.outputReviewsRequired,
  linkTtlSeconds: config.outputLinkTtlSeconds,
  rules: DEFAULT_RULE_SET,
});

export const objectStoreFor = (config: AppConfig): ObjectStore => new ObjectStore(config.outputStoreDir);
