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

  constructor(private readonly deps: BulkDeps) {}

  async start(input: { serverId: string; label: string; hint: TokenHint | null; tokens: string[] }): Promise<BulkStatus> {
    const id = createJob(this.deps.vault(), input, this.deps.now());
    await this.launch(id);
    return this.status(id);
  }

  status(jobId: string): BulkStatus {
    return jobStatus(this.deps.vault(), jobId, this.runs.get(jobId)?.waitingUntil ?? null);
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
    if (!this.runs.has(jobId)) await this.launch(jobId);
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
      if (!this.runs.has(jobId)) await this.launch(jobId);
    }
  }

  async haltAll(): Promise<void> {
    const runs = [...this.runs.values()];
    this.runs.clear();
    await Promise.all(runs.map((run) => run.halt()));
  }

  /** Resolves when the job's runner stops (finished, paused, cancelled or halted). */
  async settled(jobId: string): Promise<void> {
    await this.runs.get(jobId)?.done;
  }

  private async launch(jobId: string): Promise<void> {
    const job = findJob(this.deps.vault(), jobId);
    let connection;
    try {
      ({ connection } = await connectServer(this.deps.vault, this.deps.clients, job.server_id, this.deps.now()));
    } catch (error) {
      // The job stays as it was, with the reason shown; Resume tries again.
      const message = isCoreError(error) ? error.message : 'The server could not be reached.';
      recordOutcomes(this.deps.vault(), jobId, [], this.deps.now(), message);
      return;
    }
    recordOutcomes(this.deps.vault(), jobId, [], this.deps.now(), null);
    const run = new BulkRun({
      vault: this.deps.vault,
      jobId,
      now: this.deps.now,
      concurrency: this.deps.concurrency,
      server: {
        revoke: (token, hint, signal) => revokeToken(connection, token, hint ?? undefined, signal),
        introspect: (token, hint) => introspectToken(connection, token, hint ?? undefined),
      },
    });
    this.runs.set(jobId, run);
    void run.done
      .catch((error: unknown) => {
        // An unexpected stop is shown on the job, which stays resumable; nothing is marked done.
        try {
          recordOutcomes(this.deps.vault(), jobId, [], this.deps.now(), `The job stopped: ${isCoreError(error) ? error.message : 'an internal error'}. Resume it to carry on.`);
        } catch {
          // Locked meanwhile: the next unlock resumes it.
        }
      })
      .finally(() => {
        if (this.runs.get(jobId) === run) this.runs.delete(jobId);
      });
  }
}
