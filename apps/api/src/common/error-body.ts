import type { ErrorCode } from '@tre/core';

/** Every error the API returns has this shape. */
export interface ErrorBody {
  readonly statusCode: number;
  readonly code: ErrorCode;
  readonly message: string;
  /** Field messages for validation failures, facts about the refusal otherwise. */
  readonly details?: Record<string, unknown>;
  readonly requestId?: string;
}
