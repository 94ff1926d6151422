/**
 * What an automated step is made of. Each action plans (the calls it would make, for the dry
 * run, without making any), checks (whether its effect is already there, asked when a step is
 * found interrupted) and executes (acts and verifies: a result is ok only when the server
 * confirmed the effect).
 */
import type { z } from 'zod';
import type { PlannedCall, RunStep, stepResult } from '../../../../shared/playbooks';
import type { OpenVault } from '../../vault/open-vault';
import type { BulkRevocations } from '../../servers/bulk/service';
import type { ServerClients } from '../../servers/connect';
import type { ServerMetadata } from '../../servers/discovery';

export type StepResult = z.output<typeof stepResult>;

export interface RunFacts {
  id: string;
  title: string;
  serverId: string | null;
  credentialId: string | null;
  credentialName: string | null;
  startedAt: string;
}

export interface ActionContext {
  /** Throws VAULT_LOCKED once the vault is locked: the step then stays `running`, to be checked at the next run. */
  vault(): OpenVault;
  now(): Date;
  clients: ServerClients;
  bulk: BulkRevocations;
  run: RunFacts;
  step: RunStep;
  /** The step's params, checked against the action's schema. */
  params: Record<string, string | number | boolean>;
  /** The tokens this step acts on (its source resolved), never shown. */
  tokens: string[];
  /** The kid a JWKS check looks for. */
  kid: string | null;
  /** The secret captured when the run started, and whose it is. */
  oldSecret: string | null;
  clientId: string | null;
}

export interface PlanContext {
  run: RunFacts;
  step: RunStep;
  params: Record<string, string | number | boolean>;
  tokenCount: number;
  kid: string | null;
  clientId: string | null;
  /** The run's server as last recorded (no request is made to learn it). */
  server: { name: string; issuer: string; metadata: ServerMetadata | null } | null;
}

export interface StepActionDef {
  /** Whether the action talks to the run's server. */
  needsServer: boolean;
  plan(ctx: PlanContext): PlannedCall[];
  check(ctx: ActionContext): Promise<boolean>;
  execute(ctx: ActionContext): Promise<StepResult>;
}

export function endpoint(ctx: PlanContext, name: 'revocation_endpoint' | 'introspection_endpoint' | 'token_endpoint' | 'jwks_uri'): string | null {
  const value = ctx.server?.metadata?.[name];
  return typeof value === 'string' ? value : null;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
