import { ValidationError } from '@tre/core';

/**
 * Request-level errors carry the domain code `validation_failed`, so the API answers 400 and the worker records
 * the same code on the failed job. Settings problems are configuration errors instead (see validate-settings).
 */

/** A tool that is not on the configured allow-list: nothing is built, so nothing outside the list can run. */
export class UnknownToolError extends ValidationError {
  constructor(
    readonly tool: string,
    allowed: readonly string[],
  ) {
    super(`Tool "${tool}" is not on the allow-list (${allowed.join(', ') || 'none configured'})`, {
      tool,
      allowed,
    });
    this.name = 'UnknownToolError';
  }
}

export class UnknownSizeError extends ValidationError {
  constructor(
    readonly size: string,
    allowed: readonly string[],
  ) {
    super(`Workspace size "${size}" is not one of ${allowed.join(', ')}`, { size, allowed });
    this.name = 'UnknownSizeError';
  }
}

export class InvalidWorkspaceSpecError extends ValidationError {
  constructor(field: string, reason: string) {
    super(`Invalid workspace ${field}: ${reason}`, { field });
    this.name = 'InvalidWorkspaceSpecError';
  }
}
