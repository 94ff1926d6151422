import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { createTestPlatform, OTHER_STRONG_PASSPHRASE, STRONG_PASSPHRASE, type TestPlatform } from '../support/test-platform';

let platform: TestPlatform;
let core: Core;
const events: unknown[] = [];

function setup(): void {
  platform = createTestPlatform();
  core = createCore({ platform, calibrateKdf: false });
  events.length = 0;
  core.onEvent((event, payload) => events.push({ event, payload }));
}

afterEach(() => {
  core?.dispose();
  platform?.cleanup();
});

describe('vault lifecycle', () => {
  it('starts absent, creates an encrypted vault and opens it', async () => {
    setup();
    expect(core.vault.status().state).toBe('absent');
    const path = join(platform.userDataDir, 'credops.vault');
    const status = await core.vault.create(path, STRONG_PASSPHRASE);
    expect(status).toMatchObject({ state: 'unlocked', vaultPath: path, vaultName: 'credops' });
    expect(readFileSync(path).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    expect(existsSync(`${path}.key`)).toBe(true);
    expect(readFileSync(`${path}.key`, 'utf8')).not.toContain(STRONG_PASSPHRASE);
    expect(events).toContainEqual({ event: 'vault:stateChanged', payload: { state: 'unlocked', reason: 'create' } });
  });

  it('refuses an obviously weak passphrase and creates nothing', async () => {
    setup();
    const path = join(platform.userDataDir, 'credops.vault');
    await expect(core.vault.create(path, 'password1234')).rejects.toMatchObject({ code: 'PASSPHRASE_WEAK' });
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.key`)).toBe(false);
  });

  it('never overwrites an existing vault', async () => {
    setup();
    const path = join(platform.userDataDir, 'credops.vault');
    await core.vault.create(path, STRONG_PASSPHRASE);
    core.vault.lock('user');
    const before = readFileSync(path);
    await expect(core.vault.create(path, OTHER_STRONG_PASSPHRASE)).rejects.toMatchObject({ code: 'VAULT_EXISTS' });
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('locks, refuses a wrong passphrase, and unlocks with the right one', async () => {
    setup();
    const path = join(platform.userDataDir, 'credops.vault');
    await core.vault.create(path, STRONG_PASSPHRASE);
    expect(core.vault.lock('user').state).toBe('locked');
    await expect(core.vault.unlock('not the passphrase')).rejects.toMatchObject({ code: 'VAULT_WRONG_PASSPHRASE' });
    expect((await core.vault.unlock(STRONG_PASSPHRASE)).state).toBe('unlocked');
    const actions = core.vault.require().db.prepare('SELECT action FROM audit_log ORDER BY seq').pluck().all();
    expect(actions).toEqual(['vault.created', 'vault.unlocked', 'vault.locked', 'vault.unlocked']);
  });
});
