/**
 * Cores with real vault files for the import and export tests: start as many as a test needs (an
 * export from one, an import into a fresh other), call channels through the router as the
 * renderer would, and read back what a user would see.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createCore, type Core } from '../../electron/core/core';
import type { Channel, ChannelInput } from '../../shared/contract';
import { credentialFields, type CredentialFields, type CredentialSummary } from '../../shared/credentials';
import type { ResultError } from '../../shared/result';
import { sampleCredential } from './sample-credential';
import { createTestPlatform, STRONG_PASSPHRASE, type TestPlatform } from './test-platform';

export interface TestCore {
  core: Core;
  platform: TestPlatform;
  /** A folder for the files the test writes and reads. */
  files: string;
}

const started: TestCore[] = [];

export async function startCore(): Promise<TestCore> {
  const platform = createTestPlatform();
  const core = createCore({ platform, calibrateKdf: false, log: () => undefined });
  await core.vault.create(join(platform.userDataDir, 'credops.vault'), STRONG_PASSPHRASE);
  const files = join(platform.userDataDir, 'files');
  mkdirSync(files);
  const testCore = { core, platform, files };
  started.push(testCore);
  return testCore;
}

export function stopCores(): void {
  for (const { core, platform } of started.splice(0)) {
    core.dispose();
    platform.cleanup();
  }
}

export async function call<T = unknown>(core: Core, channel: Channel, input: ChannelInput<Channel> | Record<string, unknown> = {}): Promise<T> {
  const result = await core.router.invoke(channel, input);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

export async function refusal(core: Core, channel: Channel, input: Record<string, unknown> = {}): Promise<ResultError> {
  const result = await core.router.invoke(channel, input);
  if (result.ok) throw new Error(`${channel} succeeded: ${JSON.stringify(result.value)}`);
  return result.error;
}

export async function listAll(core: Core): Promise<CredentialSummary[]> {
  return (await call<{ credentials: CredentialSummary[] }>(core, 'credentials:list', { limit: 500, sort: 'name' })).credentials;
}

const FIELD_NAMES = Object.keys(credentialFields.shape) as (keyof CredentialFields)[];

/** What a user sees of the inventory, in a fixed order, without what differs between vaults (ids, times, keyed fingerprints). */
export async function inventoryOf(core: Core): Promise<Record<string, unknown>[]> {
  const summaries = (await listAll(core)).sort((a, b) => a.name.localeCompare(b.name) || a.environment.localeCompare(b.environment));
  return summaries.map((summary) => ({
    ...Object.fromEntries(FIELD_NAMES.map((name) => [name, summary[name]])),
    hasSecret: summary.hasSecret,
    publicThumbprint: summary.publicThumbprint,
  }));
}

/** What import must leave alone when it refuses: the credentials and the audit log. */
export async function vaultState(core: Core): Promise<{ credentials: number; auditHead: number }> {
  const { total } = await call<{ total: number }>(core, 'credentials:list', {});
  const { entries } = await call<{ entries: { seq: number }[] }>(core, 'audit:list', { limit: 1 });
  return { credentials: total, auditHead: entries[0].seq };
}

export async function auditActions(core: Core, limit = 20): Promise<{ action: string; detail: Record<string, unknown> }[]> {
  return (await call<{ entries: { action: string; detail: Record<string, unknown> }[] }>(core, 'audit:list', { limit })).entries;
}

export function credential(overrides: Partial<CredentialFields> = {}): CredentialFields {
  return sampleCredential({ name: 'deploy-key', provider: 'github', owner: 'team-platform', scopes: ['repo:status'], ...overrides });
}
