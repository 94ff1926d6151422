/**
 * markCredential: marks the run's credential rotated or revoked in the inventory (its history and
 * the audit log say which run did it). Already rotated since the run started (a regenerated client
 * secret is sealed and marked rotated together), or already revoked, counts as done.
 */
import { getCredential, markCredential as markInInventory, openCredentialSecret } from '../../credentials/store';
import { CoreError } from '../../errors';
import type { ActionContext, StepActionDef } from './types';

const asOf = (ctx: Pick<ActionContext, 'params'>): 'rotated' | 'revoked' => (ctx.params.as === 'revoked' ? 'revoked' : 'rotated');

function credentialIdOf(ctx: ActionContext): string {
  if (!ctx.run.credentialId) throw new CoreError('STEP_NOT_READY', 'This run was started without a credential: mark the credential in the inventory by hand and skip this step with a note.');
  return ctx.run.credentialId;
}

function alreadyDone(ctx: ActionContext): string | null {
  const { credential } = getCredential(ctx.vault(), credentialIdOf(ctx), ctx.now());
  if (asOf(ctx) === 'revoked') return credential.status === 'revoked' ? `"${credential.name}" is already revoked in the inventory.` : null;
  const rotated = credential.lastRotatedAt;
  return rotated && Date.parse(rotated) >= Date.parse(ctx.run.startedAt) ? `"${credential.name}" was already marked rotated at ${rotated}, during this run.` : null;
}

export const markCredential: StepActionDef = {
  needsServer: false,
  plan(ctx) {
    return [{ method: 'VAULT', url: null, purpose: `Mark ${ctx.run.credentialName ? `"${ctx.run.credentialName}"` : 'the credential'} ${asOf(ctx)} in the inventory`, count: 1 }];
  },
  check: async (ctx) => alreadyDone(ctx) !== null,
  async execute(ctx) {
    const already = alreadyDone(ctx);
    if (already) return { ok: true, summary: `${already} Not marked again.`, details: [] };
    const as = asOf(ctx);
    // Rotated means the inventory holds a new secret: marking the leaked one rotated would lie.
    if (as === 'rotated' && ctx.oldSecret !== null && openCredentialSecret(ctx.vault(), credentialIdOf(ctx), 'verify').trim() === ctx.oldSecret.trim()) {
      return { ok: false, summary: 'The inventory still holds the secret this run started with: record the new secret on the credential first, then run this step again.', details: [] };
    }
    const summary = markInInventory(ctx.vault(), credentialIdOf(ctx), as, `Playbook run "${ctx.run.title}": ${ctx.step.title}`, ctx.now());
    return { ok: true, summary: `"${summary.name}" marked ${as} in the inventory.`, details: [`Status: ${summary.status}${summary.lastRotatedAt ? `; last rotated ${summary.lastRotatedAt}` : ''}.`] };
  },
};
