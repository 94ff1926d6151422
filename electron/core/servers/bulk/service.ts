/**
 * The bulk revocation jobs of the open vault: starts them, pauses, resumes and cancels them, halts
 * them when the vault locks, and picks up every unfinished job when it is unlocked again (after a
 * crash, that is the first unlock).
 */
import type { BulkStatus, TokenHint } from '../../../../shared/servers';
import { CoreError, isCoreError } from '../../errors';
import type { OpenVault } from '../../vault/open-vault';
import { connectServer, type ServerClients } from '../connect';
import { introspectToken } from '../introspection';
import { revokeToken } from '../revocation';
import { createJob, findJob, jobsInState, jobStatus, recordOutcomes, setJobState } from './journal';
import { BulkRun } from './runner';

export interface BulkDeps {
  vault(): OpenVault;
  clients: ServerClients;
  now(): Date;
  concurrency?: number;
}

export class BulkRevocations {
  private readonly runs = new Map<string, BulkRun>();
  private readonly launching = new Map<string, Promise<void>>();
  /** Moves at every halt: a launch that began before it must not start a runner after it. */
  private epoch = 0;

  constructor(private readonly deps: BulkDeps) {}

  /**
   * Starts a job. With an `id` that is already journalled nothing new is created: the existing job
   * carries on if it is still running (after a crash) and its status is returned.
   */
  async start(input: { id?: string; serverId: string; label: string; hint: TokenHint | null; tokens: string[]; uncertain?: string[] }): Promise<BulkStatus> {
    const { id, existed } = createJob(this.deps.vault(), input, this.deps.now());
    const state = existed ? findJob(this.deps.vault(), id).state : 'running';
    if (state === 'running' || state === 'verifying') await this.launch(id);
    return this.status(id);
  }

  status(jobId: string): BulkStatus {
    return jobStatus(this.deps.vault(), jobId, this.runs.get(jobId)?.waitingUntil ?? null, this.runs.has(jobId) || this.launching.has(jobId));
  }

  isRunning(jobId: string): boolean {
    return this.runs.has(jobId);
  }

  async pause(jobId: string): Promise<BulkStatus> {
    const run = this.runs.get(jobId);
    if (run) await run.pause();
    else if (findJob(this.deps.vault(), jobId).state === 'running') setJobState(this.deps.vault(), jobId, 'paused', this.deps.now(), { action: 'bulkRevocation.paused', detail: { reason: 'user' } });
    return this.status(jobId);
  }

  /** Resumes a paused job, or restarts a running one whose runner stopped (server unreachable at unlock). */
  async resume(jobId: string): Promise<BulkStatus> {
    const job = findJob(this.deps.vault(), jobId);
    if (job.state === 'finished' || job.state === 'cancelled') throw new CoreError('BULK_FINISHED', `This job is ${job.state}; start a new one to revoke more.`);
    if (job.state === 'paused') setJobState(this.deps.vault(), jobId, 'running', this.deps.now(), { action: 'bulkRevocation.resumed' });
    await this.launch(jobId);
    return this.status(jobId);
  }

  async cancel(jobId: string): Promise<BulkStatus> {
    const job = findJob(this.deps.vault(), jobId);
    if (job.state === 'finished' || job.state === 'cancelled') throw new CoreError('BULK_FINISHED', `This job is already ${job.state}.`);
    const run = this.runs.get(jobId);
    if (run) await run.cancel();
    if (findJob(this.deps.vault(), jobId).state !== 'cancelled') setJobState(this.deps.vault(), jobId, 'cancelled', this.deps.now(), { action: 'bulkRevocation.cancelled' });
    return this.status(jobId);
  }

  /** At unlock: every job a crash, a quit or a lock left running carries on. */
  async resumeAll(): Promise<void> {
    for (const jobId of jobsInState(this.deps.vault(), ['running', 'verifying'])) {
      await this.launch(jobId);
    }
  }

  async haltAll(): Promise<void> {
    this.epoch++;
    const runs = [...this.runs.values()];
    this.runs.clear();
    await Promise.all(runs.map((run) => run.halt()));
  }

  /** Resolves when the job's runner stops (finished, paused, cancelled or halted). */
  async settled(jobId: string): Promise<void> {
    await this.launching.get(jobId);
    await this.runs.get(jobId)?.done;
  }

  /**
   * One runner per job, ever: the launch is recorded before its first await, and a lock (a new
   * epoch) in the middle of it cancels it. The runner is bound to the vault it started on, so a
   * runner outliving a lock can never write into the vault reopened after it.
   */
  private launch(jobId: string): Promise<void> {
    if (this.runs.has(jobId)) return Promise.resolve();
    const pending = this.launching.get(jobId);
    if (pending) return pending;
    const launching = this.startRunner(jobId).finally(() => this.launching.delete(jobId));
    this.launching.set(jobId, launching);
    return launching;
  }

  private async startRunner(jobId: string): Promise<void> {
    const epoch = this.epoch;
    const open = this.deps.vault();
    const job = findJob(open, jobId);
    let connection;
    try {
      ({ connection } = await connectServer(this.deps.vault, this.deps.clients, job.server_id, this.deps.now()));
    } catch (error) {
      // The job stays as it was, with the reason shown; Resume tries again.
      if (epoch === this.epoch && !open.isClosed) recordOutcomes(open, jobId, [], this.deps.now(), isCoreError(error) ? error.message : 'The server could not be reached.');
      return;
    }
    if (epoch !== this.epoch || open.isClosed || this.runs.has(jobId)) return;
    recordOutcomes(open, jobId, [], this.deps.now(), null);
    const bound = () => {
      if (open.isClosed) throw new CoreError('VAULT_LOCKED', 'The vault was locked; the job resumes at the next unlock.');
      return open;
    };
    const run = new BulkRun({
      vault: bound,
      jobId,
      now: this.deps.now,
      concurrency: this.deps.concurrency,
      server: {
        revoke: (token, hint, signal) => revokeToken(connection, token, hint ?? undefined, signal),
        introspect: (token, hint, signal) => introspectToken(connection, token, hint ?? undefined, signal),
      },
    });
    this.runs.set(jobId, run);
    const unhook = open.beforeClose(() => run.haltNow());
    void run.done
      .catch((error: unknown) => {
        // An unexpected stop is shown on the job, which stays resumable; nothing is marked done.
        try {
          recordOutcomes(bound(), jobId, [], this.deps.now(), `The job stopped: ${isCoreError(error) ? error.message : 'an internal error'}. Resume it to carry on.`);
        } catch {
          // Locked meanwhile: the next unlock resumes it.
        }
      })
      .finally(() => {
        unhook();
        if (this.runs.get(jobId) === run) this.runs.delete(jobId);
      });
  }
}
