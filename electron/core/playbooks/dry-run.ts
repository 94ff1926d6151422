/**
 * The dry run: every call the run's remaining automated steps would make, read from the vault
 * alone (the server's stored metadata, the tokens the run holds), with nothing sent anywhere.
 */
import type { PlannedCall, StepAction } from '../../../shared/playbooks';
import { isCoreError } from '../errors';
import { openIdConfigurationUrl, type ServerMetadata } from '../servers/discovery';
import { findServer, type ServerRow } from '../servers/store';
import type { OpenVault } from '../vault/open-vault';
import { STEP_ACTION_DEFS } from './actions';
import { paramsOf, resolveKid, resolveTokens, usesKid, usesTokens } from './actions/inputs';
import { readInputs, readRun } from './run-store';

export interface DryRunStep {
  stepId: string;
  title: string;
  action: StepAction;
  calls: PlannedCall[];
  notes: string[];
}

function storedServer(vault: OpenVault, serverId: string | null): ServerRow | null {
  if (!serverId) return null;
  try {
    return findServer(vault, serverId);
  } catch (error) {
    if (isCoreError(error) && error.code === 'SERVER_NOT_FOUND') return null;
    throw error;
  }
}

export function dryRun(vault: OpenVault, runId: string): { steps: DryRunStep[] } {
  const run = readRun(vault, runId);
  const inputs = readInputs(vault, run);
  const row = storedServer(vault, run.serverId);
  const metadata = row?.metadata ? (JSON.parse(row.metadata) as ServerMetadata) : null;
  const server = row ? { name: row.name, issuer: row.issuer, metadata } : null;
  const steps: DryRunStep[] = [];
  for (const step of run.steps) {
    if (step.kind !== 'automated' || !step.action || step.state === 'done' || step.state === 'skipped') continue;
    const action = STEP_ACTION_DEFS[step.action];
    const params = paramsOf({ ...step, action: step.action });
    const tokenCount = usesTokens(step.action) ? resolveTokens(params, inputs, step.id).length : 0;
    const kid = usesKid(step.action) ? resolveKid(params, inputs) : null;
    const notes: string[] = [];
    const calls = action.plan({
      run: { id: run.id, title: run.title, serverId: run.serverId, credentialId: run.credentialId, credentialName: run.credentialName, startedAt: run.startedAt },
      step,
      params,
      tokenCount,
      kid,
      clientId: inputs.clientId,
      server,
    });
    if (action.needsServer && !server) notes.push(run.serverId ? 'The run’s server is no longer in the vault: this step cannot run.' : 'This run has no server: this step cannot run; do it by hand and skip it.');
    if (action.needsServer && server && !metadata) {
      calls.unshift({ method: 'GET', url: openIdConfigurationUrl(server.issuer), purpose: `Discover the endpoints of ${server.name} (not recorded yet: the URLs below are known only after this)`, count: 1 });
    }
    if (usesTokens(step.action) && tokenCount === 0) notes.push('No tokens are recorded for this step yet: they are pasted when it runs.');
    if (usesKid(step.action) && !kid) notes.push('The kid is entered when the step runs.');
    if (step.action === 'expectOldSecretRefused' && !inputs.oldSecret) notes.push('No old secret was captured when the run started: this step cannot run.');
    if (step.destructive) notes.push('Pauses for confirmation before it runs.');
    if (step.state === 'running') notes.push('Interrupted earlier: it first checks whether its effect is already there, and sends nothing more if so.');
    steps.push({ stepId: step.id, title: step.title, action: step.action, calls, notes });
  }
  return { steps };
}
