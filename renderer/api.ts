/** The typed window.credops, and the only module that touches it. */
import type { CredopsApi } from '../shared/contract';
import type { Result, ResultError } from '../shared/result';

declare global {
  interface Window {
    credops: CredopsApi;
  }
}

export const api = (): CredopsApi => window.credops;

/** An error answer from main, thrown so a screen can show its message. */
export class ApiError extends Error {
  constructor(readonly error: ResultError) {
    super(error.message);
  }
}

export async function unwrap<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending;
  if (!result.ok) throw new ApiError(result.error);
  return result.value;
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'CredOps could not reach its core. Restart the app; nothing was changed.';
}
