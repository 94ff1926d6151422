/**
 * revokeTokens: a bulk revocation of the step's tokens through the bulk journal, then the answer
 * only the server can give: each token confirmed inactive by introspection (or, for a token the
 * server cannot revoke, the reason it cannot).
 *
 * The job ids are derived from the run, the step and a counter, never drawn at random: after a
 * crash anywhere (before the job was created, while it ran, after it finished but before the
 * step recorded it) the step finds the same job, carries it on from its journal and never sends
 * a revocation the server already acknowledged. A retry of a step that ended with tokens still
 * active starts the next job with only those tokens.
 */
import { createHash } from 'node:crypto';
import type { BulkItemState, BulkStatus } from '../../../../shared/servers';
import { displayFingerprint, fingerprintSecret } from '../../credentials/fingerprint';
import { CoreError, isCoreError } from '../../errors';
import { findJob, itemStatesByFingerprint } from '../../servers/bulk/journal';
import { introspectToken } from '../../servers/introspection';
import { REVOKE_UNSUPPORTED_MESSAGE } from '../../servers/revocation';
import { connectRunServer, inPool, serverIdOf } from './server';
import { endpoint, plural, type ActionContext, type StepActionDef, type StepResult } from './types';

/** Rounds of retries a step may accumulate: far beyond what a responder would press. */
const MAX_JOBS = 100;
const UNFINISHED = new Set(['running', 'verifying', 'paused']);
/**
 * Confirmed ended: the server says inactive. A token it cannot revoke (unsupported_token_type)
 * stays valid until it expires, so it is never counted as ended, only as not worth resending.
 */
const SETTLED: ReadonlySet<BulkItemState> = new Set(['inactive']);
/** Not sent again: the server acknowledged it (verification may still be missing). */
const NOT_RESENT: ReadonlySet<BulkItemState> = new Set(['inactive', 'unsupported', 'acknowledged']);

/** A UUID (RFC 9562 version 8) from the run, the step and the round, the same in every process. */
export function revocationJobId(runId: string, stepId: string, round: number): string {
  const bytes = createHash('sha256').update(`credops-playbook-revocation/v1\0${runId}\0${stepId}\0${round}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

interface JobRef {
  id: string;
  state: string;
}

function jobsOf(ctx: ActionContext): JobRef[] {
  const jobs: JobRef[] = [];
  for (let round = 1; round <= MAX_JOBS; round++) {
    const id = revocationJobId(ctx.run.id, ctx.step.id, round);
    try {
      jobs.push({ id, state: findJob(ctx.vault(), id).state });
    } catch (error) {
      if (isCoreError(error) && error.code === 'BULK_NOT_FOUND') break;
      throw error;
    }
  }
  return jobs;
}

interface Fate {
  token: string;
  fingerprint: string;
  state: BulkItemState | null;
  detail: string | null;
}

/** Each token's latest state across the step's jobs (a later job holds only what an earlier one did not settle). */
function fatesOf(ctx: ActionContext, jobs: JobRef[]): Fate[] {
  const vault = ctx.vault();
  const fates = ctx.tokens.map((token) => ({ token, fingerprint: fingerprintSecret(vault.fingerprintKey, token), state: null as BulkItemState | null, detail: null as string | null }));
  for (const job of jobs) {
    const items = itemStatesByFingerprint(vault, job.id);
    for (const fate of fates) {
      const item = items.get(fate.fingerprint);
      if (item) Object.assign(fate, item);
    }
  }
  return fates;
}

function label(ctx: ActionContext): string {
  return `Playbook "${ctx.run.title}": ${ctx.step.title}`.slice(0, 200);
}

function stopped(status: BulkStatus): StepResult {
  return {
    ok: false,
    summary: `The revocation stopped before it finished (${status.state}). Run the step again: it carries on where it stopped and does not send a revocation twice.`,
    details: [status.lastError ?? 'The job was interrupted.', `Progress: ${Object.entries(status.counts).filter(([, n]) => n > 0).map(([state, n]) => `${state} ${n}`).join(', ') || 'nothing sent yet'}.`],
  };
}

/** Waits for a job to end; the status it ended in. */
async function drive(ctx: ActionContext, job: JobRef, tokens: string[], uncertain: string[] = []): Promise<BulkStatus> {
  if (job.state === 'paused') await ctx.bulk.resume(job.id);
  else await ctx.bulk.start({ id: job.id, serverId: serverIdOf(ctx), label: label(ctx), hint: null, tokens, uncertain });
  await ctx.bulk.settled(job.id);
  return ctx.bulk.status(job.id);
}

async function verdict(ctx: ActionContext, fates: Fate[], reverify: boolean): Promise<StepResult> {
  // Acknowledged but never confirmed (the verification gave up): ask the server once more.
  const unconfirmed = fates.filter((fate) => fate.state === 'acknowledged');
  if (reverify && unconfirmed.length > 0) {
    const { connection } = await connectRunServer(ctx);
    await inPool(unconfirmed, 8, async (fate) => {
      try {
        if (!(await introspectToken(connection, fate.token)).active) Object.assign(fate, { state: 'inactive', detail: null });
      } catch (error) {
        if (!isCoreError(error) || error.code !== 'SERVER_UNSUPPORTED') throw error;
      }
    });
  }
  const count = (state: BulkItemState) => fates.filter((fate) => fate.state === state).length;
  const [inactive, unsupported] = [count('inactive'), count('unsupported')];
  const open = fates.filter((fate) => !fate.state || (!SETTLED.has(fate.state) && fate.state !== 'unsupported'));
  const details = [`${plural(inactive, 'token')} revoked and confirmed inactive by introspection.`];
  if (unsupported > 0) details.push(`${plural(unsupported, 'token')} the server cannot revoke (unsupported_token_type): ${REVOKE_UNSUPPORTED_MESSAGE}`);
  for (const fate of open.slice(0, 20)) {
    details.push(`${displayFingerprint(fate.fingerprint)}: ${fate.state ?? 'not sent'}${fate.detail ? ` — ${fate.detail}` : ''}`);
  }
  if (open.length > 20) details.push(`…and ${open.length - 20} more not confirmed.`);
  if (open.length === 0 && unsupported === 0) {
    return { ok: true, summary: `All ${plural(fates.length, 'token')} ended: ${inactive.toLocaleString('en')} confirmed inactive.`, details };
  }
  if (open.length === 0) {
    return {
      ok: false,
      summary: `${plural(unsupported, 'token')} the server cannot revoke stay valid until they expire: revoke the refresh token or grant behind them, or end the sessions, then skip this step with that as the reason.`,
      details,
    };
  }
  return { ok: false, summary: `${plural(open.length, 'token')} of ${fates.length} not confirmed revoked. Run the step again to retry them; acknowledged revocations are not sent again.`, details };
}

export const revokeTokens: StepActionDef = {
  needsServer: true,
  plan(ctx) {
    return [
      { method: 'POST', url: endpoint(ctx, 'revocation_endpoint'), purpose: 'Revoke each token (RFC 7009), at most 8 at a time, holding back on 429 and 503', count: ctx.tokenCount },
      { method: 'POST', url: endpoint(ctx, 'introspection_endpoint'), purpose: 'Confirm each revoked token is inactive (RFC 7662)', count: ctx.tokenCount },
    ];
  },
  async check(ctx) {
    const jobs = jobsOf(ctx);
    if (jobs.length === 0 || UNFINISHED.has(jobs[jobs.length - 1].state)) return false;
    return fatesOf(ctx, jobs).every((fate) => fate.state !== null && SETTLED.has(fate.state));
  },
  async execute(ctx) {
    if (ctx.tokens.length === 0) throw new CoreError('INVALID_INPUT', 'Paste the tokens to revoke.');
    let created = false;
    for (;;) {
      const jobs = jobsOf(ctx);
      const latest = jobs[jobs.length - 1];
      if (latest && UNFINISHED.has(latest.state)) {
        const status = await drive(ctx, latest, []);
        if (UNFINISHED.has(status.state)) return stopped(status);
        continue;
      }
      const remaining = fatesOf(ctx, jobs).filter((fate) => !fate.state || !NOT_RESENT.has(fate.state));
      if (remaining.length === 0 || created || jobs.length >= MAX_JOBS) break;
      created = true;
      // A token an earlier round left unknown (`sending`) is checked before it is sent again.
      const unknown = remaining.filter((fate) => fate.state === 'sending').map((fate) => fate.token);
      const status = await drive(ctx, { id: revocationJobId(ctx.run.id, ctx.step.id, jobs.length + 1), state: 'new' }, remaining.map((fate) => fate.token), unknown);
      if (UNFINISHED.has(status.state)) return stopped(status);
    }
    return verdict(ctx, fatesOf(ctx, jobsOf(ctx)), true);
  },
};
