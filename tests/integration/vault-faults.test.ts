import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { verifyAuditChain } from '../../electron/core/vault/audit';
import { openEncryptedDatabase, readFileSalt } from '../../electron/core/vault/database';
import { readKeyFile, writeKeyFile } from '../../electron/core/vault/keyfile';
import { createTestPlatform, STRONG_PASSPHRASE, OTHER_STRONG_PASSPHRASE, type TestPlatform } from '../support/test-platform';
import { recoverDatabaseKey, snapshotFiles } from '../support/vault-files';
import { TSX_CHILD_ARGS } from '../support/tsx-child';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

async function lockedVault(now?: () => Date): Promise<{ core: Core; platform: TestPlatform; path: string }> {
  const platform = createTestPlatform();
  const core = createCore({ platform, calibrateKdf: false, now, log: () => undefined });
  cleanups.push(() => platform.cleanup(), () => core.dispose());
  const path = join(platform.userDataDir, 'credops.vault');
  await core.vault.create(path, STRONG_PASSPHRASE);
  core.vault.lock('user');
  return { core, platform, path };
}

/** Asserts the unlock fails with `code` and leaves every file byte-for-byte as it was. */
async function expectRefusedUnchanged(core: Core, dir: string, code: string, passphrase = STRONG_PASSPHRASE): Promise<string> {
  const before = snapshotFiles(dir);
  const result = await core.router.invoke('vault:unlock', { passphrase });
  expect(result).toMatchObject({ ok: false, error: { code } });
  expect(snapshotFiles(dir)).toEqual(before);
  expect(core.vault.status().state).toBe('locked');
  return result.ok ? '' : result.error.message;
}

async function tamperDatabase(path: string, sql: string): Promise<void> {
  const db = openEncryptedDatabase(path, await recoverDatabaseKey(path, STRONG_PASSPHRASE));
  db.exec(sql);
  db.close();
}

describe('vault faults: a clear error and nothing changed on disk', () => {
  it('refuses a wrong passphrase without saying anything about the right one', async () => {
    const { core, platform } = await lockedVault();
    const message = await expectRefusedUnchanged(core, platform.userDataDir, 'VAULT_WRONG_PASSPHRASE', 'correct horse battery staple orbit 43');
    expect(message).not.toContain('orbit');
  });

  it('backs off after three wrong passphrases, even for the right one, until the wait is over', async () => {
    let clock = Date.parse('2026-11-23T12:00:00Z');
    const { core } = await lockedVault(() => new Date(clock));
    for (let i = 0; i < 3; i++) await expect(core.vault.unlock('wrong passphrase ' + i)).rejects.toMatchObject({ code: 'VAULT_WRONG_PASSPHRASE' });
    await expect(core.vault.unlock(STRONG_PASSPHRASE)).rejects.toMatchObject({ code: 'VAULT_BACKOFF', retryAfterMs: 1000 });
    expect(core.vault.status().retryAt).toBe(clock + 1000);
    clock += 1000;
    await expect(core.vault.unlock('wrong again')).rejects.toMatchObject({ code: 'VAULT_WRONG_PASSPHRASE', retryAfterMs: 2000 });
    clock += 2000;
    expect((await core.vault.unlock(STRONG_PASSPHRASE)).state).toBe('unlocked');
  });

  it('says the key file is missing', async () => {
    const { core, platform, path } = await lockedVault();
    rmSync(`${path}.key`);
    await expectRefusedUnchanged(core, platform.userDataDir, 'VAULT_KEYFILE_MISSING');
  });

  it.each([
    ['not JSON', (text: string) => text.slice(0, text.length / 2)],
    ['a changed field', (text: string) => text.replace(/"passes": \d+/, '"passes": 1')],
    ['an extra field', (text: string) => text.replace('{', '{"extra": true,')],
  ])('says the key file is damaged when it has %s', async (_what, damage) => {
    const { core, platform, path } = await lockedVault();
    writeFileSync(`${path}.key`, damage(readFileSync(`${path}.key`, 'utf8')));
    await expectRefusedUnchanged(core, platform.userDataDir, 'VAULT_KEYFILE_CORRUPT');
  });

  it('says the key file belongs to another vault', async () => {
    const { core, platform, path } = await lockedVault();
    const other = await lockedVault();
    copyFileSync(`${other.path}.key`, `${path}.key`);
    await expectRefusedUnchanged(core, platform.userDataDir, 'VAULT_KEYFILE_MISMATCH');
  });

  it('says the vault file is missing', async () => {
    const { core, platform, path } = await lockedVault();
    rmSync(path);
    await expectRefusedUnchanged(core, platform.userDataDir, 'VAULT_FILE_MISSING');
  });

  it.each([0.25, 0.5, 0.9])('finds a flipped byte at %s of the vault file', async (where) => {
    const { core, platform, path } = await lockedVault();
    const bytes = readFileSync(path);
    bytes[Math.floor(bytes.length * where)] ^= 0x01;
    writeFileSync(path, bytes);
    await expectRefusedUnchanged(core, platform.userDataDir, 'VAULT_CORRUPT');
  });

  it('finds a truncated vault file', async () => {
    const { core, platform, path } = await lockedVault();
    truncateSync(path, Math.floor(readFileSync(path).length / 2));
    await expectRefusedUnchanged(core, platform.userDataDir, 'VAULT_CORRUPT');
  });

  it('detects audit entries deleted from the end through the key file anchor', async () => {
    const { core, platform, path } = await lockedVault();
    await tamperDatabase(path, 'DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)');
    const message = await expectRefusedUnchanged(core, platform.userDataDir, 'AUDIT_TRUNCATED');
    expect(message).toMatch(/ends at entry 2 but the key file records entry 3/);
  });

  it('detects an edited audit entry because the chain breaks', async () => {
    const { core, platform, path } = await lockedVault();
    await tamperDatabase(path, `UPDATE audit_log SET detail = '{"method":"keychain"}' WHERE seq = 2`);
    const message = await expectRefusedUnchanged(core, platform.userDataDir, 'AUDIT_TAMPERED');
    expect(message).toMatch(/entry 2 does not match its chain/);
  });

  it('detects an audit entry deleted from the middle', async () => {
    const { core, platform, path } = await lockedVault();
    await tamperDatabase(path, 'DELETE FROM audit_log WHERE seq = 2');
    await expectRefusedUnchanged(core, platform.userDataDir, 'AUDIT_TAMPERED');
  });

  it('detects an anchor moved back in the key file, even with a fresh checksum', async () => {
    const { core, platform, path } = await lockedVault();
    const { checksum: _checksum, ...body } = readKeyFile(`${path}.key`);
    writeKeyFile(`${path}.key`, { ...body, auditAnchor: { ...body.auditAnchor, seq: 1 } });
    await expectRefusedUnchanged(core, platform.userDataDir, 'AUDIT_TAMPERED');
  });

  it('refuses a key file from before a passphrase change, which the old passphrase still opens', async () => {
    const { core, platform, path } = await lockedVault();
    const before = readFileSync(`${path}.key`);
    await core.vault.unlock(STRONG_PASSPHRASE);
    await core.vault.changePassphrase(STRONG_PASSPHRASE, OTHER_STRONG_PASSPHRASE);
    core.vault.lock('user');
    writeFileSync(`${path}.key`, before);
    const message = await expectRefusedUnchanged(core, platform.userDataDir, 'VAULT_KEYFILE_STALE');
    expect(message).toMatch(/generation 1, vault expects 2/);
  });

  it('refuses a key file from before keychain unlock was turned off', async () => {
    const { core, platform, path } = await lockedVault();
    await core.vault.unlock(STRONG_PASSPHRASE);
    await core.vault.enableKeychain(STRONG_PASSPHRASE);
    const enrolled = readFileSync(`${path}.key`);
    core.vault.disableKeychain();
    core.vault.lock('user');
    writeFileSync(`${path}.key`, enrolled);
    const before = snapshotFiles(platform.userDataDir);
    await expect(core.vault.unlockWithKeychain()).rejects.toMatchObject({ code: 'VAULT_KEYFILE_STALE' });
    expect(snapshotFiles(platform.userDataDir)).toEqual(before);
  });

  it('completes a key change whose key file was written but whose record was not (a crash in between)', async () => {
    const { core, path } = await lockedVault();
    await core.vault.unlock(STRONG_PASSPHRASE);
    await core.vault.changePassphrase(STRONG_PASSPHRASE, OTHER_STRONG_PASSPHRASE);
    core.vault.lock('user');
    // As if the process died between writing the new key file and committing its generation.
    const db = openEncryptedDatabase(path, await recoverDatabaseKey(path, OTHER_STRONG_PASSPHRASE));
    db.exec("UPDATE meta SET value = '1' WHERE key = 'keyFileGeneration'");
    db.close();
    await core.vault.unlock(OTHER_STRONG_PASSPHRASE);
    const last = core.vault.require().db.prepare('SELECT action, detail FROM audit_log ORDER BY seq DESC LIMIT 2').all();
    expect(last).toEqual([
      { action: 'vault.unlocked', detail: '{"method":"passphrase"}' },
      { action: 'vault.keyFileChangeCompleted', detail: '{"keyFileGeneration":2}' },
    ]);
  });

  it('refuses a key file whose Argon2 cost would hang or exhaust the machine', async () => {
    const { core, platform, path } = await lockedVault();
    const { checksum: _checksum, ...body } = readKeyFile(`${path}.key`);
    writeFileSync(`${path}.key`, JSON.stringify({ ...body, kdf: { ...body.kdf, memoryKiB: 1024 ** 3 }, checksum: 'x' }));
    writeKeyFile(`${path}.key`, { ...body, kdf: { ...body.kdf, passes: 100_000 } } as never);
    await expectRefusedUnchanged(core, platform.userDataDir, 'VAULT_KEYFILE_CORRUPT');
  });

  it('gives up an unlock when the screen locks while it is deriving the key, and leaves nothing open', async () => {
    const { core, platform } = await lockedVault();
    const pending = core.vault.unlock(STRONG_PASSPHRASE);
    // Argon2id is running on the thread pool now.
    await new Promise((resolve) => setTimeout(resolve, 5));
    platform.signal('screen-lock');
    await expect(pending).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
    expect(core.vault.status().state).toBe('locked');
    // Nothing was left holding the file: the next unlock is not refused as "in use".
    expect((await core.vault.unlock(STRONG_PASSPHRASE)).state).toBe('unlocked');
  });

  it('still locks, and says so, when the lock cannot be written to the key file', async () => {
    const { core, path } = await lockedVault();
    await core.vault.unlock(STRONG_PASSPHRASE);
    const logged: string[] = [];
    (core.vault as unknown as { options: { log: (m: string) => void } }).options.log = (m) => logged.push(m);
    rmSync(`${path}.key`);
    mkdirSync(`${path}.key`);
    writeFileSync(join(`${path}.key`, 'blocker'), '');
    expect(core.vault.lock('user').state).toBe('locked');
    expect(core.vault.isUnlocked).toBe(false);
    expect(logged.join()).toMatch(/the lock was not recorded/);
  });

  it('gives up an unlock that was asked for before a suspend it had not started on yet', async () => {
    const { core, platform } = await lockedVault();
    const pending = core.vault.unlock(STRONG_PASSPHRASE);
    platform.signal('suspend');
    await expect(pending).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
  });

  it.each([
    ['the current passphrase is being checked', 0],
    ['the new passphrase is being derived', 1],
  ])('changes nothing, and blames no passphrase, when the vault locks while %s', async (_when, kdfsBefore) => {
    const { core, platform, path } = await lockedVault();
    await core.vault.unlock(STRONG_PASSPHRASE);
    // Each KDF takes tens of milliseconds at least; the lock lands inside the one named.
    const kdfMs = await (async () => {
      const started = performance.now();
      await core.vault.changePassphrase(STRONG_PASSPHRASE, STRONG_PASSPHRASE).catch(() => undefined);
      return performance.now() - started;
    })();
    const pending = core.vault.changePassphrase(STRONG_PASSPHRASE, OTHER_STRONG_PASSPHRASE);
    await new Promise((resolve) => setTimeout(resolve, kdfsBefore * kdfMs + kdfMs / 2));
    platform.signal('suspend');
    await expect(pending).rejects.toMatchObject({ code: 'VAULT_LOCKED', message: expect.stringContaining('Nothing was changed') });
    expect(readKeyFile(`${path}.key`).generation).toBe(1);
    await expect(core.vault.unlock(OTHER_STRONG_PASSPHRASE)).rejects.toMatchObject({ code: 'VAULT_WRONG_PASSPHRASE' });
    expect((await core.vault.unlock(STRONG_PASSPHRASE)).state).toBe('unlocked');
  });

  it('refuses to create a second vault while one is set up, so nothing can hide the real one', async () => {
    const { core, platform } = await lockedVault();
    const other = join(platform.userDataDir, 'other.vault');
    await expect(core.vault.create(other, OTHER_STRONG_PASSPHRASE)).rejects.toMatchObject({ code: 'VAULT_EXISTS' });
    expect(existsSync(other)).toBe(false);
  });

  it('reports a damaged app config instead of offering to create a new vault', async () => {
    const { core, platform } = await lockedVault();
    writeFileSync(join(platform.userDataDir, 'credops.json'), '{"vaultPath":');
    expect(await core.router.invoke('vault:status', {})).toMatchObject({ ok: false, error: { code: 'APP_CONFIG_CORRUPT' } });
  });

  it('refuses a second process opening the same vault, and neither is harmed', async () => {
    const { core, platform, path } = await lockedVault();
    await core.vault.unlock(STRONG_PASSPHRASE);
    const output = await runChild(platform.userDataDir, 'unlock');
    expect(JSON.parse(output)).toMatchObject({ ok: false, error: { code: 'VAULT_IN_USE' } });
    expect(core.vault.require().db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(4);
    core.vault.lock('user');
    expect((await core.vault.unlock(STRONG_PASSPHRASE)).state).toBe('unlocked');
    expect(verifyAuditChain(core.vault.require().db, core.vault.require().auditKey, core.vault.require().vaultId).intact).toBe(true);
    expect(readKeyFile(`${path}.key`).auditAnchor.seq).toBe(6);
  });

  it('keeps every committed write after SIGKILL in the middle of a stream of writes', async () => {
    const { core, platform } = await lockedVault();
    const committed = await killStreamAfter(platform.userDataDir, 300);
    expect(committed).toBeGreaterThanOrEqual(300);

    const status = await core.vault.unlock(STRONG_PASSPHRASE);
    expect(status.state).toBe('unlocked');
    const vault = core.vault.require();
    const rows = vault.db.prepare('SELECT n FROM stream ORDER BY n').pluck().all() as number[];
    const writes = vault.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'test.write'").pluck().get() as number;
    // Every number the child printed is there, in order with no gap, and no write lost its audit entry.
    expect(rows.length).toBeGreaterThanOrEqual(committed);
    expect(rows).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
    expect(writes).toBe(rows.length);
    expect(verifyAuditChain(vault.db, vault.auditKey, vault.vaultId, vault.keyFile.auditAnchor)).toMatchObject({ intact: true });
  });

  it('keeps the old passphrase working until a change completes, and only the new one after', async () => {
    const { core, path } = await lockedVault();
    await core.vault.unlock(STRONG_PASSPHRASE);
    const saltBefore = readFileSalt(path);
    const keyBefore = await recoverDatabaseKey(path, STRONG_PASSPHRASE);
    await expect(core.vault.changePassphrase('wrong current passphrase', OTHER_STRONG_PASSPHRASE)).rejects.toMatchObject({ code: 'VAULT_WRONG_PASSPHRASE' });
    await expect(core.vault.changePassphrase(STRONG_PASSPHRASE, 'weakpass')).rejects.toMatchObject({ code: 'PASSPHRASE_WEAK' });
    await core.vault.changePassphrase(STRONG_PASSPHRASE, OTHER_STRONG_PASSPHRASE);
    core.vault.lock('user');
    await expect(core.vault.unlock(STRONG_PASSPHRASE)).rejects.toMatchObject({ code: 'VAULT_WRONG_PASSPHRASE' });
    expect((await core.vault.unlock(OTHER_STRONG_PASSPHRASE)).state).toBe('unlocked');
    // Rewrapped, not rekeyed: the database file is the same file under the same key.
    expect(readFileSalt(path).equals(saltBefore)).toBe(true);
    expect((await recoverDatabaseKey(path, OTHER_STRONG_PASSPHRASE)).equals(keyBefore)).toBe(true);
  });
});

const CHILD = resolve(__dirname, '../support/vault-child.ts');

function runChild(userDataDir: string, mode: 'unlock'): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...TSX_CHILD_ARGS, CHILD, userDataDir, STRONG_PASSPHRASE, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) => (code === 0 ? done(out.trim()) : fail(new Error(`child exited ${code}: ${err}`))));
  });
}

/** Starts the writing child, kills it with SIGKILL once `after` commits are reported, returns the last one. */
function killStreamAfter(userDataDir: string, after: number): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...TSX_CHILD_ARGS, CHILD, userDataDir, STRONG_PASSPHRASE, 'stream'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let last = 0;
    let buffer = '';
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('error')) fail(new Error(line));
        const n = Number(line);
        if (Number.isInteger(n) && n > last) last = n;
      }
      if (last >= after && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? done(last) : fail(new Error(`child exited ${code}: ${err}`))));
  });
}
