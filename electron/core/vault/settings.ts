import type { VaultSettings } from '../../../shared/contract';
import type { OpenVault } from './open-vault';

export const DEFAULT_SETTINGS: VaultSettings = {
  autoLockMinutes: 10,
  backupRetention: 10,
  clipboardClearSeconds: 20,
};

export function readSettings(vault: OpenVault): VaultSettings {
  const rows = vault.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
  const stored = Object.fromEntries(rows.map((row) => [row.key, JSON.parse(row.value) as unknown]));
  return { ...DEFAULT_SETTINGS, ...pick(stored) };
}

function pick(stored: Record<string, unknown>): Partial<VaultSettings> {
  const known: Partial<VaultSettings> = {};
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof VaultSettings)[]) {
    if (typeof stored[key] === 'number') known[key] = stored[key];
  }
  return known;
}

export function updateSettings(vault: OpenVault, patch: Partial<VaultSettings>, at: Date): VaultSettings {
  const before = readSettings(vault);
  const changed = (Object.keys(patch) as (keyof VaultSettings)[]).filter((key) => patch[key] !== undefined && patch[key] !== before[key]);
  if (changed.length === 0) return before;
  vault.write((tx) => {
    const upsert = tx.db.prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
    for (const key of changed) upsert.run(key, JSON.stringify(patch[key]), at.toISOString());
    tx.audit({
      action: 'settings.changed',
      detail: Object.fromEntries(changed.map((key) => [key, { from: before[key], to: patch[key] }])),
    });
  });
  return readSettings(vault);
}
