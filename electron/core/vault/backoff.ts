/**
 * Wrong-passphrase backoff: three free attempts, then a wait that doubles with each failure up to
 * five minutes. Kept in memory on purpose: recording a failure must not write to the vault's files.
 */
const FREE_ATTEMPTS = 3;
const MAX_DELAY_MS = 5 * 60_000;

export class PassphraseBackoff {
  private failures = 0;
  private retryAtMs: number | null = null;

  constructor(private readonly nowMs: () => number) {}

  /** Milliseconds until an attempt is accepted, or 0. */
  waitMs(): number {
    return this.retryAtMs === null ? 0 : Math.max(0, this.retryAtMs - this.nowMs());
  }

  get retryAt(): number | null {
    return this.waitMs() > 0 ? this.retryAtMs : null;
  }

  recordFailure(): void {
    this.failures += 1;
    if (this.failures >= FREE_ATTEMPTS) {
      const delay = Math.min(MAX_DELAY_MS, 1000 * 2 ** (this.failures - FREE_ATTEMPTS));
      this.retryAtMs = this.nowMs() + delay;
    }
  }

  reset(): void {
    this.failures = 0;
    this.retryAtMs = null;
  }
}
