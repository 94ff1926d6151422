/**
 * What the engine tests share: a real vault, the lab's oidc-provider behind the fault proxy (every
 * request to the server passes through it and is counted), an admin server and a credential, and
 * engines built over that vault, each standing for one process.
 */
import { join } from 'node:path';
import { createCore, type Core } from '../../../electron/core/core';
import { PlaybookEngine, type StepPoint } from '../../../electron/core/playbooks/engine';
import { ServerClients } from '../../../electron/core/servers/connect';
import { startLab, type Lab } from '../../../lab/lab';
import type { CredentialFields } from '../../../shared/credentials';
import { playbookTemplate, type PlaybookTemplate, type RunView } from '../../../shared/playbooks';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { sampleCredential } from '../../support/sample-credential';
import { createTestPlatform, STRONG_PASSPHRASE, type TestPlatform } from '../../support/test-platform';

export interface Bench {
  lab: Lab;
  proxy: FaultProxy;
  platform: TestPlatform;
  core: Core;
  serverId: string;
  /** A fresh engine: a process of its own, that knows nothing of what another is executing. */
  engine(at?: (point: StepPoint, stepId: string) => void | Promise<void>): PlaybookEngine;
  value<T>(channel: string, input: unknown): Promise<T>;
  credential(overrides?: Partial<CredentialFields>, secret?: string | null): Promise<{ id: string }>;
  close(): Promise<void>;
}

/** Thrown at a step point to act out the process dying there. */
export class Crash extends Error {
  constructor(point: string) {
    super(`simulated crash at ${point}`);
  }
}

export async function openBench(): Promise<Bench> {
  const lab = await startLab({ port: 0 });
  const proxy = await startFaultProxy(lab.origin, { preserveHost: true });
  lab.exposeAt(proxy.origin);
  const platform = createTestPlatform();
  // One revocation in flight at a time, so a test can stop a job between two tokens.
  const core = createCore({ platform, calibrateKdf: false, log: () => undefined, bulkConcurrency: 1 });
  await core.vault.create(join(platform.userDataDir, 'credops.vault'), STRONG_PASSPHRASE);
  const value = async <T>(channel: string, input: unknown): Promise<T> => {
    const result = await core.router.invoke(channel, input);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  };
  const server = await value<{ id: string }>('servers:add', {
    fields: { name: 'Lab', issuer: lab.issuer, provider: 'keycloak', realm: lab.realm, clientId: lab.clients.admin.clientId, authMethod: 'client_secret_basic', signingCredentialId: null, extraCaPem: null },
    clientSecret: lab.clients.admin.clientSecret,
  });
  await value('servers:test', { id: server.id });
  const clients = new ServerClients();
  return {
    lab,
    proxy,
    platform,
    core,
    serverId: server.id,
    engine: (at) => new PlaybookEngine({ vault: () => core.vault.require(), now: () => new Date(), clients, bulk: core.bulk, at }),
    value,
    credential: (overrides = {}, secret = 'sk_live_0123456789abcdefABCDEF') =>
      value<{ id: string }>('credentials:create', { fields: sampleCredential(overrides), secret }),
    async close() {
      core.dispose();
      await clients.closeAll();
      await proxy.close();
      await lab.close();
      platform.cleanup();
    },
  };
}

/** A template written for the engine tests, checked by the shared schema. */
export function testTemplate(steps: Record<string, unknown>[], extra: Record<string, unknown> = {}): PlaybookTemplate {
  return playbookTemplate.parse({ id: 'engine-test', version: 1, name: 'Engine test', steps, ...extra });
}

export const REVOKE_STEP = { id: 'revoke', phase: 'revoke', kind: 'automated', action: 'revokeTokens', params: { source: 'pasted' }, destructive: true, title: 'Revoke the pasted tokens' };
export const VERIFY_STEP = { id: 'verify', phase: 'verify', kind: 'automated', action: 'expectTokensInactive', params: { source: 'exposureWindow' }, title: 'Confirm every token inactive' };

export function stepIn(run: RunView, stepId: string) {
  const step = run.steps.find((candidate) => candidate.id === stepId);
  if (!step) throw new Error(`no step ${stepId}`);
  return step;
}

/** Requests the proxy forwarded whose path matches, counted. */
export function requests(proxy: FaultProxy, path: RegExp, from = 0): number {
  return proxy.log.slice(from).filter((entry) => path.test(entry.path)).length;
}

export const REVOCATION = /\/revoke$/;
export const INTROSPECTION = /\/introspect$/;
