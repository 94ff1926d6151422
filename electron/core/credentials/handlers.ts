import type { ClipboardGuard } from '../clipboard-guard';
import type { Handlers } from '../router';
import type { VaultService } from '../vault/vault-service';
import { createCredential, getCredential, listCredentials, markCredential, openCredentialSecret, updateCredential } from './store';

type CredentialHandlers = Pick<Handlers, Extract<keyof Handlers, `credentials:${string}`>>;

/** How long a revealed secret stays on screen. */
export const REVEAL_SECONDS = 10;

export function credentialHandlers(vault: VaultService, clipboard: ClipboardGuard, now: () => Date): CredentialHandlers {
  return {
    'credentials:list': (query) => listCredentials(vault.require(), query, now()),
    'credentials:create': ({ fields, secret }) => createCredential(vault.require(), fields, secret, now()),
    'credentials:update': ({ id, version, fields, secret }) => updateCredential(vault.require(), id, version, fields, secret, now()),
    'credentials:get': ({ id }) => getCredential(vault.require(), id, now()),
    'credentials:mark': ({ id, as, note }) => markCredential(vault.require(), id, as, note, now()),
    'credentials:reveal': ({ id }) => ({ secret: openCredentialSecret(vault.require(), id, 'reveal'), hideAfterSeconds: REVEAL_SECONDS }),
    'credentials:copy': async ({ id }) => {
      const open = vault.require();
      const clearAfterSeconds = vault.getSettings().clipboardClearSeconds;
      await clipboard.copy(openCredentialSecret(open, id, 'copy'), clearAfterSeconds * 1000);
      return { clearAfterSeconds };
    },
  };
}
