import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@tre/core';
import { loadMasterKey } from './master-key';

/**
 * Holds the pseudonymisation master key for the process. Loaded at start-up, so a missing or short key stops
 * the worker before it takes any job, naming the setting.
 */
@Injectable()
export class MasterKeyProvider implements OnModuleInit {
  private key?: Buffer;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    this.key = await loadMasterKey(this.config.pseudonymisationKeyFile, this.config.nodeEnv !== 'production');
  }

  current(): Buffer {
    if (!this.key) throw new Error('the pseudonymisation master key has not been loaded');
    return this.key;
  }
}
