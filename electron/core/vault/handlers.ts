import type { Handlers } from '../router';
import type { Platform } from '../platform';
import { listAudit, verifyAuditChain } from './audit';
import type { VaultService } from './vault-service';

type VaultHandlers = Pick<Handlers, Extract<keyof Handlers, `vault:${string}` | `audit:${string}`>>;

export function vaultHandlers(vault: VaultService, platform: Platform): VaultHandlers {
  return {
    'vault:status': () => vault.status(),
    'vault:chooseLocation': async () => ({ path: await platform.chooseVaultLocation(vault.defaultPath) }),
    'vault:create': ({ path, passphrase }) => vault.create(path, passphrase),
    'vault:unlock': ({ passphrase }) => vault.unlock(passphrase),
    'vault:unlockWithKeychain': () => vault.unlockWithKeychain(),
    'vault:lock': () => vault.lock('user'),
    'vault:changePassphrase': ({ current, next }) => vault.changePassphrase(current, next),
    'vault:enableKeychain': ({ passphrase }) => vault.enableKeychain(passphrase),
    'vault:disableKeychain': () => vault.disableKeychain(),
    'vault:backup': () => vault.backup(),
    'vault:listBackups': () => ({ backups: vault.listBackups() }),
    'vault:getSettings': () => vault.getSettings(),
    'vault:updateSettings': (patch) => vault.updateSettings(patch),
    'audit:list': ({ limit, beforeSeq }) => listAudit(vault.require().db, limit ?? 100, beforeSeq),
    'audit:verify': () => {
      const open = vault.require();
      return verifyAuditChain(open.db, open.auditKey, open.vaultId, open.keyFile.auditAnchor);
    },
  };
}
