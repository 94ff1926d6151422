/**
 * Locks the vault when the user has been away from the desktop for the configured minutes, and at
 * once on screen lock or suspend.
 */
import type { LockReason } from '../../../shared/contract';
import type { Platform } from '../platform';

const POLL_MS = 15_000;

export class AutoLock {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly platform: Platform,
    private readonly idleLimitMinutes: () => number | null,
    private readonly lock: (reason: LockReason) => void,
  ) {
    // Always passed on, even while locked: an unlock in progress must learn of it and give up.
    this.unsubscribe = platform.onLockSignal((signal) => this.lock(signal));
  }

  /** Checks idle time now; the poll calls this, and tests may too. */
  check(): void {
    const limit = this.idleLimitMinutes();
    if (limit !== null && this.platform.systemIdleSeconds() >= limit * 60) this.lock('idle');
  }

  start(): void {
    this.stopPolling();
    this.timer = setInterval(() => this.check(), POLL_MS);
    this.timer.unref?.();
  }

  stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.stopPolling();
    this.unsubscribe();
  }
}
