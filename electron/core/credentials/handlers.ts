import type { HealthSummary } from '../../../shared/credentials';
import type { ClipboardGuard } from '../clipboard-guard';
import type { OpenVault } from '../vault/open-vault';
import type { Handlers } from '../router';
import type { VaultService } from '../vault/vault-service';
import { healthCounts } from './query';
import { createCredential, getCredential, listCredentials, markCredential, openCredentialSecret, updateCredential } from './store';

/** The import and export channels; electron/core/transfer serves them. */
export type TransferChannel = 'credentials:importOpen' | 'credentials:importPreview' | 'credentials:importCommit' | 'credentials:importDiscard' | 'credentials:export';
type CredentialHandlers = Pick<Handlers, Exclude<Extract<keyof Handlers, `credentials:${string}`>, TransferChannel>>;

/** How long a revealed secret stays on screen. */
export const REVEAL_SECONDS = 10;

export function credentialHandlers(vault: VaultService, clipboard: ClipboardGuard, now: () => Date): CredentialHandlers {
  // The header's counts take a pass over every credential (half a second at 100,000), so they are
  // kept until the vault changes or the minute turns, whichever comes first.
  let health: { vault: OpenVault; writes: number; minute: number; summary: HealthSummary } | null = null;
  const healthSummary = (): HealthSummary => {
    const open = vault.require();
    const at = now();
    const minute = Math.floor(at.getTime() / 60_000);
    if (health?.vault !== open || health.writes !== open.writeCount || health.minute !== minute) {
      health = { vault: open, writes: open.writeCount, minute, summary: healthCounts(open.db, at) };
    }
    return health.summary;
  };
  return {
    'credentials:list': (query) => listCredentials(vault.require(), query, now()),
    'credentials:create': ({ fields, secret }) => createCredential(vault.require(), fields, secret, now()),
    'credentials:update': ({ id, version, fields, secret }) => updateCredential(vault.require(), id, version, fields, secret, now()),
    'credentials:get': ({ id }) => getCredential(vault.require(), id, now()),
    'credentials:mark': ({ id, as, note }) => markCredential(vault.require(), id, as, note, now()),
    'credentials:reveal': ({ id }) => ({ secret: openCredentialSecret(vault.require(), id, 'reveal'), hideAfterSeconds: REVEAL_SECONDS }),
    'credentials:health': healthSummary,
    'credentials:copy': async ({ id }) => {
      const open = vault.require();
      const clearAfterSeconds = vault.getSettings().clipboardClearSeconds;
      await clipboard.copy(openCredentialSecret(open, id, 'copy'), clearAfterSeconds * 1000);
      return { clearAfterSeconds };
    },
  };
}
