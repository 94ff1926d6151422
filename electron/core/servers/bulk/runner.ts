/**
 * Runs one bulk revocation job against its server: a bounded number of requests in flight, 429 and
 * 503 held back by Retry-After and jittered backoff (and never counted as done), an unanswered
 * request checked by introspection before it is sent again, then a verification pass that asks
 * the server whether each acknowledged token is really inactive. Every state change goes through
 * the journal, so the job can stop at any instant (pause, cancel, lock, crash) and resume.
 */
import { setMaxListeners } from 'node:events';
import type { BulkItemState, TokenHint } from '../../../../shared/servers';
import { isCoreError } from '../../errors';
import type { OpenVault } from '../../vault/open-vault';
import type { Introspection } from '../introspection';
import type { RevokeOutcome } from '../revocation';
import { backoffDelay, RetryGate } from './backoff';
import { claimForSending, findJob, itemNumbers, readItems, recordOutcomes, setJobState, type ItemOutcome, type JobItem } from './journal';

export interface BulkServer {
  revoke(token: string, hint: TokenHint | null, signal: AbortSignal): Promise<RevokeOutcome>;
  introspect(token: string, hint: TokenHint | null, signal: AbortSignal): Promise<Introspection>;
}

export interface BulkRunOptions {
  /** Throws VAULT_LOCKED once the vault is locked: the run then stops where it is. */
  vault(): OpenVault;
  server: BulkServer;
  jobId: string;
  now?: () => Date;
  concurrency?: number;
  /** Attempts per token before it is recorded as failed (not revoked). */
  maxAttempts?: number;
  random?: () => number;
}

type Mode = 'send' | 'check' | 'verify';
interface Work extends JobItem {
  mode: Mode;
  tries: number;
  due: number;
}

const BATCH = 64;
const FLUSH_MS = 100;

export class BulkRun {
  private readonly now: () => Date;
  private readonly gate: RetryGate;
  private readonly abort = new AbortController();
  private stopReason: 'pause' | 'cancel' | 'halt' | 'refused' | null = null;
  private refusal: string | null = null;
  private outcomes: ItemOutcome[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private queue: Work[] = [];
  private later: Work[] = [];
  private cursor = -1;
  private inFlight = 0;
  private hint: TokenHint | null = null;
  readonly done: Promise<void>;

  constructor(private readonly options: BulkRunOptions) {
    this.now = options.now ?? (() => new Date());
    this.gate = new RetryGate(() => this.now().getTime());
    // Every request in flight and every wait listens on this one signal.
    setMaxListeners(4 * (options.concurrency ?? 8) + 16, this.abort.signal);
    this.done = this.run().catch((error) => {
      // A lock closes the database under the run; what was not journalled is checked on resume.
      if (isCoreError(error) && error.code === 'VAULT_LOCKED') return;
      throw error;
    });
  }

  get waitingUntil(): number | null {
    return this.gate.waitingUntil;
  }

  pause(): Promise<void> {
    return this.stop('pause');
  }

  cancel(): Promise<void> {
    return this.stop('cancel');
  }

  /** Stops without changing the job's state (lock, quit): it resumes at the next unlock. */
  halt(): Promise<void> {
    this.abort.abort();
    return this.stop('halt');
  }

  /**
   * At lock or quit, while the database is still open: writes what came back, returns claimed but
   * unsent tokens to pending, and stops every request in flight (their rows stay `sending`, to be
   * checked at resume).
   */
  haltNow(): void {
    this.stopReason ??= 'halt';
    this.abort.abort();
    this.returnUnsent();
    this.flush();
  }

  private returnUnsent(): void {
    const unsent = this.queue.filter((work) => work.mode === 'send');
    this.outcomes.push(...unsent.map((work) => ({ n: work.n, state: 'pending' as const, detail: null })));
    this.queue = [];
  }

  private async stop(reason: 'pause' | 'cancel' | 'halt'): Promise<void> {
    this.stopReason ??= reason;
    await this.done.catch(() => undefined);
  }

  private get job() {
    return findJob(this.options.vault(), this.options.jobId);
  }

  private async run(): Promise<void> {
    const job = this.job;
    this.hint = job.hint;
    let state = job.state;
    if (state === 'running') {
      // Rows left `sending` by an earlier run were interrupted: ask the server before sending again.
      this.later.push(...this.load('sending', 'check'));
      await this.pool('send');
      if (await this.stopped()) return;
      setJobState(this.options.vault(), this.options.jobId, 'verifying', this.now());
      state = 'verifying';
    }
    if (state !== 'verifying') return;
    this.cursor = -1;
    await this.pool('verify');
    if (await this.stopped()) return;
    setJobState(this.options.vault(), this.options.jobId, 'finished', this.now(), { action: 'bulkRevocation.finished' });
  }

  private load(state: BulkItemState, mode: Mode): Work[] {
    const vault = this.options.vault();
    const numbers = itemNumbers(vault, this.options.jobId, state, -1, Number.MAX_SAFE_INTEGER);
    return readItems(vault, this.options.jobId, numbers).map((item) => ({ ...item, mode, tries: 0, due: 0 }));
  }

  /** Writes what was learnt, then settles a stop: paused and cancelled are journalled states too. */
  private async stopped(): Promise<boolean> {
    // Claimed but never sent: back to pending, so a paused job shows nothing in flight.
    this.returnUnsent();
    this.flush();
    if (!this.stopReason) return false;
    const vault = this.options.vault();
    if (this.stopReason === 'pause' || this.stopReason === 'refused') {
      setJobState(vault, this.options.jobId, 'paused', this.now(), { action: 'bulkRevocation.paused', detail: { reason: this.refusal ?? 'user' } });
    } else if (this.stopReason === 'cancel') {
      setJobState(vault, this.options.jobId, 'cancelled', this.now(), { action: 'bulkRevocation.cancelled' });
    }
    return true;
  }

  private async pool(phase: 'send' | 'verify'): Promise<void> {
    const workers = Array.from({ length: this.options.concurrency ?? 8 }, () => this.worker(phase));
    try {
      await Promise.all(workers);
    } finally {
      if (this.flushTimer) clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
  }

  private async worker(phase: 'send' | 'verify'): Promise<void> {
    for (;;) {
      const work = await this.next(phase);
      if (!work) return;
      this.inFlight++;
      try {
        await this.perform(work);
      } finally {
        this.inFlight--;
      }
    }
  }

  /** The next token to act on, or null when the phase has nothing left (or the run is stopping). */
  private async next(phase: 'send' | 'verify'): Promise<Work | null> {
    for (;;) {
      if (this.stopReason) return null;
      const wait = this.gate.remainingMs();
      if (wait > 0) {
        await this.sleep(Math.min(wait, 250));
        continue;
      }
      const nowMs = this.now().getTime();
      const dueAt = this.later.findIndex((work) => work.due <= nowMs);
      if (dueAt >= 0) {
        const [work] = this.later.splice(dueAt, 1);
        // A resend is journalled as `sending` again before it leaves, and only if it still waits.
        if (work.mode === 'send' && this.claim([work.n]).length === 0) continue;
        return work;
      }
      if (this.queue.length > 0) return this.queue.shift()!;
      const fresh = phase === 'send' ? this.claim(itemNumbers(this.options.vault(), this.options.jobId, 'pending', this.cursor, BATCH)) : this.verifyBatch();
      if (fresh.length > 0) {
        this.cursor = fresh[fresh.length - 1].n;
        this.queue.push(...fresh.map((item) => ({ ...item, mode: (phase === 'send' ? 'send' : 'verify') as Mode, tries: 0, due: 0 })));
        continue;
      }
      if (this.later.length === 0 && this.inFlight === 0) return null;
      await this.sleep(25);
    }
  }

  private claim(numbers: number[]): JobItem[] {
    if (numbers.length === 0) return [];
    // Outcomes first: a stale `pending` written after this claim would hide an unanswered send.
    this.flush();
    return claimForSending(this.options.vault(), this.options.jobId, numbers, this.now());
  }

  private verifyBatch(): JobItem[] {
    const vault = this.options.vault();
    return readItems(vault, this.options.jobId, itemNumbers(vault, this.options.jobId, 'acknowledged', this.cursor, BATCH));
  }

  private async perform(work: Work): Promise<void> {
    const hint = this.hint;
    if (work.mode === 'send') {
      const outcome = await this.options.server.revoke(work.token, hint, this.abort.signal);
      return this.afterRevoke(work, outcome);
    }
    try {
      const answer = await this.options.server.introspect(work.token, hint, this.abort.signal);
      if (work.mode === 'check') {
        if (!answer.active) return this.settle(work, 'acknowledged', 'An earlier request went unanswered; introspection shows the token inactive, so it was not sent again.');
        return this.resend(work, 'An earlier request went unanswered; introspection shows the token still active, so it is sent again.');
      }
      return this.settle(work, answer.active ? 'still_active' : 'inactive', answer.active ? 'The server acknowledged the revocation but still reports the token active.' : null);
    } catch (error) {
      if (this.abort.signal.aborted) return;
      const message = isCoreError(error) ? error.message : 'The introspection failed.';
      if (isCoreError(error) && error.code === 'SERVER_UNSUPPORTED') {
        // Nothing can be asked: an interrupted send is sent again; an acknowledged one stays so.
        if (work.mode === 'check') return this.resend(work, `An earlier request went unanswered and cannot be checked (${message}); it is sent again.`);
        return this.settle(work, 'acknowledged', `Acknowledged; not verified: ${message}`);
      }
      if (isCoreError(error) && error.code === 'SERVER_REFUSED') return this.refuse(work, message);
      if (isCoreError(error) && error.retryAfterMs) this.gate.hold(error.retryAfterMs);
      return this.retry(work, message);
    }
  }

  private afterRevoke(work: Work, outcome: RevokeOutcome): void {
    switch (outcome.kind) {
      case 'revoked':
        return this.settle(work, 'acknowledged', null);
      case 'unsupported_token_type':
        return this.settle(work, 'unsupported', outcome.message);
      case 'retry':
        if (outcome.retryAfterMs) this.gate.hold(outcome.retryAfterMs);
        // Journalled back to `pending`: the server said it did not act, so a resend is safe.
        this.outcomes.push({ n: work.n, state: 'pending', detail: outcome.reason });
        this.scheduleFlush();
        return this.retry(work, outcome.reason);
      case 'uncertain':
        if (this.abort.signal.aborted) return;
        return this.retry({ ...work, mode: 'check' }, outcome.reason);
      case 'failed':
        if (outcome.code === 'SERVER_REFUSED') return this.refuse(work, outcome.message);
        return this.settle(work, 'failed', outcome.message);
    }
  }

  /** The server shows it did not act: journalled back to `pending`, so the resend claims it again. */
  private resend(work: Work, reason: string): void {
    this.outcomes.push({ n: work.n, state: 'pending', detail: reason });
    this.scheduleFlush();
    this.retry({ ...work, mode: 'send' }, null);
  }

  private retry(work: Work, reason: string | null): void {
    const tries = work.tries + 1;
    if (tries >= (this.options.maxAttempts ?? 12)) {
      const detail = `Gave up after ${tries} attempts${reason ? `: ${reason}` : ''}`;
      // An unanswered send that cannot be checked stays unknown (`sending`), never revoked.
      if (work.mode === 'check') return this.settle(work, 'sending', detail);
      return this.settle(work, work.mode === 'verify' ? 'acknowledged' : 'failed', detail);
    }
    this.later.push({ ...work, tries, due: this.now().getTime() + backoffDelay(tries, this.options.random) });
  }

  /** The server refuses the admin client itself: every request would fail, so the job pauses. */
  private refuse(work: Work, message: string): void {
    this.refusal = message;
    this.stopReason ??= 'refused';
    // A check's row stays `sending`: its fate is still unknown, so resume must ask before resending.
    const state: BulkItemState = work.mode === 'verify' ? 'acknowledged' : work.mode === 'check' ? 'sending' : 'pending';
    this.outcomes.push({ n: work.n, state, detail: message });
    this.flush(message);
  }

  private settle(work: Work, state: BulkItemState, detail: string | null): void {
    this.outcomes.push({ n: work.n, state, detail });
    if (this.outcomes.length >= BATCH) this.flush();
    else this.scheduleFlush();
  }

  private scheduleFlush(): void {
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      try {
        this.flush();
      } catch {
        // Locked: the run is being halted; unjournalled outcomes are re-checked on resume.
      }
    }, FLUSH_MS);
  }

  private flush(lastError?: string): void {
    const outcomes = this.outcomes;
    this.outcomes = [];
    recordOutcomes(this.options.vault(), this.options.jobId, outcomes, this.now(), lastError);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.abort.signal.addEventListener('abort', wake, { once: true });
    });
  }
}
