/**
 * Secrets copied by main, cleared after a delay only if the clipboard still holds what CredOps put
 * there (the user may have copied something else since). What was copied is remembered as a keyed
 * digest, not as the secret, so it does not stay in memory for the delay.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clipboard } from './platform';

export class ClipboardGuard {
  private readonly digestKey = randomBytes(32);
  private pending: { digest: Buffer; timer: ReturnType<typeof setTimeout> } | null = null;

  constructor(private readonly clipboard: Clipboard) {}

  private digest(text: string): Buffer {
    return createHmac('sha256', this.digestKey).update(text).digest();
  }

  async copy(text: string, clearAfterMs: number): Promise<void> {
    this.forget();
    await this.clipboard.writeText(text);
    const timer = setTimeout(() => void this.clearIfUnchanged().catch(() => undefined), clearAfterMs);
    timer.unref?.();
    this.pending = { digest: this.digest(text), timer };
  }

  /** Clears the clipboard if it still holds the last secret copied; returns whether it did. */
  async clearIfUnchanged(): Promise<boolean> {
    const pending = this.pending;
    this.forget();
    if (!pending) return false;
    const current = this.digest(await this.clipboard.readText());
    if (!timingSafeEqual(current, pending.digest)) return false;
    this.clipboard.clear();
    return true;
  }

  private forget(): void {
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = null;
  }
}
