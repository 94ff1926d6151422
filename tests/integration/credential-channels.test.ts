import { describe, expect, it } from 'vitest';
import type { CredentialFields } from '../../shared/credentials';
import { useCoreWithVault } from '../support/core-with-vault';


const t = useCoreWithVault();

const fields: CredentialFields = {
  name: 'github-deploy-token',
  kind: 'service_token',
  provider: 'github',
  owner: 'team-platform',
  environment: 'production',
  tenant: null,
  scopes: ['repo:status'],
  createdAt: '2026-11-01T00:00:00Z',
  expiresAt: '2027-11-01T00:00:00Z',
  lastUsedAt: null,
  lastRotatedAt: null,
  rotationPolicyDays: 90,
  status: 'active',
  authServerId: null,
  clientId: null,
  notes: '',
  tags: ['deploy'],
  locations: [],
};
const SECRET = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB';

async function create(): Promise<string> {
  const result = await t.core.router.invoke('credentials:create', { fields, secret: SECRET });
  if (!result.ok) throw new Error(result.error.message);
  return (result.value as { id: string }).id;
}

describe('credential channels', () => {
  it('never carries the secret back except through reveal', async () => {
    const id = await create();
    const answers = [
      await t.core.router.invoke('credentials:get', { id }),
      await t.core.router.invoke('credentials:mark', { id, as: 'rotated', note: 'routine' }),
      await t.core.router.invoke('credentials:copy', { id }),
      await t.core.router.invoke('audit:list', {}),
    ];
    for (const answer of answers) {
      expect(answer.ok).toBe(true);
      expect(JSON.stringify(answer)).not.toContain(SECRET);
    }
    expect(await t.core.router.invoke('credentials:reveal', { id })).toEqual({ ok: true, value: { secret: SECRET, hideAfterSeconds: 10 } });
  });

  it('copies from main and clears the clipboard when the vault locks', async () => {
    const id = await create();
    expect(await t.core.router.invoke('credentials:copy', { id })).toEqual({ ok: true, value: { clearAfterSeconds: 20 } });
    expect(t.platform.clipboardText).toBe(SECRET);
    t.core.vault.lock('user');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(t.platform.clipboardText).toBe('');
  });

  it.each([
    ['an empty name', { fields: { ...fields, name: '   ' }, secret: null }, /name: Name cannot be empty/],
    ['an unknown kind', { fields: { ...fields, kind: 'password' }, secret: null }, /fields\.kind/],
    ['a 5 MB note', { fields: { ...fields, notes: 'x'.repeat(5_000_000) }, secret: null }, /Notes are at most 10,000 characters/],
    ['a 100 KiB secret', { fields, secret: 'a'.repeat(100_000) }, /A secret is at most 64 KiB/],
    ['a name with a control character', { fields: { ...fields, name: 'evil\u0007name' }, secret: null }, /control characters/],
    ['a date that is not a date', { fields: { ...fields, createdAt: 'yesterday' }, secret: null }, /createdAt/],
  ])('refuses %s with a clear message, storing nothing', async (_what, input, message) => {
    const result = await t.core.router.invoke('credentials:create', input);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(message) } });
    expect(t.core.vault.require().db.prepare('SELECT count(*) FROM credentials').pluck().get()).toBe(0);
  });

  it('answers VAULT_LOCKED, not a secret, once locked', async () => {
    const id = await create();
    t.core.vault.lock('user');
    expect(await t.core.router.invoke('credentials:reveal', { id })).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
  });
});
