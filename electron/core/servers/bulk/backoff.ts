/**
 * When to try a token again. "Full jitter" exponential backoff (each wait uniform in [0, cap]) keeps
 * many clients that were refused together from coming back together; a server's Retry-After is a
 * floor for the whole job, not a hint for one request.
 */
export const BACKOFF_BASE_MS = 250;
export const BACKOFF_CAP_MS = 30_000;

export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 16));
  return Math.floor(random() * ceiling);
}

/** A shared gate: every request of the job waits until the latest Retry-After has passed. */
export class RetryGate {
  private until = 0;

  constructor(private readonly nowMs: () => number) {}

  /** Retry-After values beyond an hour are treated as an hour: a job should not vanish for a day. */
  hold(retryAfterMs: number): void {
    this.until = Math.max(this.until, this.nowMs() + Math.min(retryAfterMs, 3_600_000));
  }

  get waitingUntil(): number | null {
    return this.until > this.nowMs() ? this.until : null;
  }

  remainingMs(): number {
    return Math.max(0, this.until - this.nowMs());
  }
}
