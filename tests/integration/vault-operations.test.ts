import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { writeAppConfig } from '../../electron/core/vault/app-config';
import { createTestPlatform, STRONG_PASSPHRASE, OTHER_STRONG_PASSPHRASE, type TestPlatform } from '../support/test-platform';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

async function openVault(): Promise<{ core: Core; platform: TestPlatform; path: string; events: unknown[] }> {
  const platform = createTestPlatform();
  const core = createCore({ platform, calibrateKdf: false, log: () => undefined });
  const events: unknown[] = [];
  core.onEvent((_event, payload) => events.push(payload));
  cleanups.push(() => platform.cleanup(), () => core.dispose());
  const path = join(platform.userDataDir, 'credops.vault');
  await core.vault.create(path, STRONG_PASSPHRASE);
  return { core, platform, path, events };
}

function actions(core: Core): string[] {
  return core.vault.require().db.prepare('SELECT action FROM audit_log ORDER BY seq').pluck().all() as string[];
}

describe('backups', () => {
  it('writes an encrypted copy with an intact audit chain that, after a passphrase change, opens only with the new one', async () => {
    const { core, path } = await openVault();
    const { backup } = core.vault.backup();
    expect(readFileSync(backup.file).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    expect(existsSync(`${backup.file}.key`)).toBe(true);
    await core.vault.changePassphrase(STRONG_PASSPHRASE, OTHER_STRONG_PASSPHRASE);
    expect(actions(core).slice(-3)).toEqual(['vault.backup', 'vault.passphraseChanged', 'backup.rewrapped']);

    const restored = createTestPlatform();
    cleanups.push(() => restored.cleanup());
    writeAppConfig(restored.userDataDir, { vaultPath: backup.file });
    const restoredCore = createCore({ platform: restored, calibrateKdf: false });
    cleanups.push(() => restoredCore.dispose());
    await expect(restoredCore.vault.unlock(STRONG_PASSPHRASE)).rejects.toMatchObject({ code: 'VAULT_WRONG_PASSPHRASE' });
    await restoredCore.vault.unlock(OTHER_STRONG_PASSPHRASE);
    const verdict = await restoredCore.router.invoke('audit:verify', {});
    expect(verdict).toMatchObject({ ok: true, value: { intact: true } });
    expect(actions(restoredCore)).toEqual(['vault.created', 'vault.unlocked', 'vault.unlocked']);
    expect(path).not.toBe(backup.file);
  });

  it('keeps only the newest backups the retention count allows', async () => {
    let clock = Date.parse('2026-11-23T10:00:00Z');
    const platform = createTestPlatform();
    const core = createCore({ platform, calibrateKdf: false, now: () => new Date((clock += 1000)) });
    cleanups.push(() => platform.cleanup(), () => core.dispose());
    await core.vault.create(join(platform.userDataDir, 'credops.vault'), STRONG_PASSPHRASE);
    core.vault.updateSettings({ backupRetention: 2 });
    const made = [core.vault.backup(), core.vault.backup(), core.vault.backup()];
    expect(made.map((m) => m.pruned)).toEqual([0, 0, 1]);
    const kept = core.vault.listBackups().map((b) => b.file);
    expect(kept).toEqual([made[2].backup.file, made[1].backup.file]);
    expect(existsSync(made[0].backup.file)).toBe(false);
    expect(existsSync(`${made[0].backup.file}.key`)).toBe(false);
  });

  it("never lists or prunes a neighbouring vault's backups, and always keeps the one just made", async () => {
    const { core, platform } = await openVault();
    mkdirSync(join(platform.userDataDir, 'neighbour-config'));
    const neighbourCore = createCore({ platform: createTestPlatform(join(platform.userDataDir, 'neighbour-config')), calibrateKdf: false });
    cleanups.push(() => neighbourCore.dispose());
    // credops-old.vault sits in the same folder, so its backups share the backups/ folder and the "credops-" prefix.
    await neighbourCore.vault.create(join(platform.userDataDir, 'credops-old.vault'), OTHER_STRONG_PASSPHRASE);
    const theirs = neighbourCore.vault.backup().backup.file;
    core.vault.updateSettings({ backupRetention: 1 });
    const first = core.vault.backup();
    const second = core.vault.backup();
    expect(core.vault.listBackups().map((b) => b.file)).toEqual([second.backup.file]);
    expect(existsSync(first.backup.file)).toBe(false);
    expect(existsSync(theirs)).toBe(true);
    expect(neighbourCore.vault.listBackups().map((b) => b.file)).toEqual([theirs]);
  });
});

describe('keychain unlock', () => {
  it('is refused where the keychain would store the key in plain text, and the passphrase still works', async () => {
    const { core, platform } = await openVault();
    platform.keychainAvailable = false;
    await expect(core.vault.enableKeychain(STRONG_PASSPHRASE)).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    expect(core.vault.status().keychain).toMatchObject({ available: false, enrolled: false, reason: expect.stringContaining('plain text') });
  });

  it('unlocks through the keychain once enrolled with the passphrase, and can be turned off', async () => {
    const { core, platform, path } = await openVault();
    await expect(core.vault.enableKeychain('wrong passphrase here')).rejects.toMatchObject({ code: 'VAULT_WRONG_PASSPHRASE' });
    await core.vault.enableKeychain(STRONG_PASSPHRASE);
    expect(readFileSync(`${path}.key`, 'utf8')).toContain('"keychain": {');
    core.vault.lock('user');
    expect(core.vault.status().keychain.enrolled).toBe(true);
    expect((await core.vault.unlockWithKeychain()).state).toBe('unlocked');
    expect(core.vault.require().db.prepare("SELECT detail FROM audit_log WHERE action = 'vault.unlocked' ORDER BY seq DESC").pluck().get()).toBe('{"method":"keychain"}');

    core.vault.lock('user');
    platform.keychainAvailable = false;
    await expect(core.vault.unlockWithKeychain()).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    platform.keychainAvailable = true;
    await core.vault.unlock(STRONG_PASSPHRASE);
    core.vault.disableKeychain();
    core.vault.lock('user');
    await expect(core.vault.unlockWithKeychain()).rejects.toMatchObject({ code: 'KEYCHAIN_NOT_ENROLLED' });
  });
});

describe('auto-lock', () => {
  it('locks once the user has been idle for the configured minutes, not before', async () => {
    const { core, platform, events } = await openVault();
    core.vault.updateSettings({ autoLockMinutes: 5 });
    platform.idleSeconds = 5 * 60 - 1;
    core.vault.checkIdle();
    expect(core.vault.isUnlocked).toBe(true);
    platform.idleSeconds = 5 * 60;
    core.vault.checkIdle();
    expect(core.vault.isUnlocked).toBe(false);
    expect(events).toContainEqual({ state: 'locked', reason: 'idle' });
  });

  it.each(['screen-lock', 'suspend'] as const)('locks at once on %s and records why', async (signal) => {
    const { core, platform, events } = await openVault();
    platform.signal(signal);
    expect(core.vault.isUnlocked).toBe(false);
    expect(events).toContainEqual({ state: 'locked', reason: signal });
    await core.vault.unlock(STRONG_PASSPHRASE);
    expect(core.vault.require().db.prepare("SELECT detail FROM audit_log WHERE action = 'vault.locked'").pluck().get()).toBe(JSON.stringify({ reason: signal }));
  });

  it('zeroes every key it held on lock and answers VAULT_LOCKED to every vault channel', async () => {
    const { core } = await openVault();
    const held = Object.values((core.vault.require() as unknown as { keys: Record<string, Buffer> }).keys);
    expect(held).toHaveLength(5);
    expect(held.every((key) => key.some((byte) => byte !== 0))).toBe(true);
    core.vault.lock('user');
    for (const key of held) expect(key.every((byte) => byte === 0)).toBe(true);
    for (const channel of ['audit:list', 'audit:verify', 'vault:getSettings', 'vault:backup'] as const) {
      expect(await core.router.invoke(channel, {})).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
    }
  });
});

describe('settings', () => {
  it('audits each change with the old and new value and ignores no-op changes', async () => {
    const { core } = await openVault();
    expect(core.vault.getSettings()).toEqual({ autoLockMinutes: 10, backupRetention: 10, clipboardClearSeconds: 20 });
    core.vault.updateSettings({ autoLockMinutes: 3 });
    core.vault.updateSettings({ autoLockMinutes: 3 });
    const rows = core.vault.require().db.prepare("SELECT detail FROM audit_log WHERE action = 'settings.changed'").pluck().all();
    expect(rows).toEqual([JSON.stringify({ autoLockMinutes: { from: 10, to: 3 } })]);
    expect(await core.router.invoke('vault:updateSettings', { autoLockMinutes: 0 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
