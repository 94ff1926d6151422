import type { ErrorCode } from '../../shared/result';

/** An error the core means to show: a stable code and a sentence a user can act on, never a secret. */
export class CoreError extends Error {
  readonly code: ErrorCode;
  readonly retryAfterMs?: number;

  constructor(code: ErrorCode, message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CoreError';
    this.code = code;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isCoreError(error: unknown): error is CoreError {
  return error instanceof CoreError;
}
