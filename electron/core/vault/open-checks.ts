/**
 * Everything checked on a freshly opened vault before its first write, so that a damaged, foreign,
 * rolled-back or tampered vault is refused with the files exactly as they were.
 */
import { CoreError } from '../errors';
import { verifyAuditChain } from './audit';
import { checkIntegrity, type Db } from './database';
import { anchorIsAuthentic, type KeyFile } from './keyfile';
import { checkKeyFileGeneration } from './keyfile-generation';
import type { VaultKeys } from './keys';
import { migrate } from './migrations';

/** Throws a clear CoreError, or migrates and says whether the key file completes an interrupted change. */
export function checkOpenedVault(db: Db, keys: VaultKeys, keyFile: KeyFile, path: string): boolean {
  checkIntegrity(db, path);
  const id = db.prepare("SELECT value FROM meta WHERE key = 'vaultId'").pluck().get();
  if (id !== keyFile.vaultId) {
    throw new CoreError('VAULT_KEYFILE_MISMATCH', `The key file beside ${path} belongs to a different vault. Put the matching key file back; nothing was changed.`);
  }
  if (!anchorIsAuthentic(keys.anchor, keyFile.vaultId, keyFile.auditAnchor)) {
    throw new CoreError('AUDIT_TAMPERED', 'The audit anchor in the key file was altered. The vault was not opened and nothing was changed.');
  }
  const verdict = verifyAuditChain(db, keys.audit, keyFile.vaultId, keyFile.auditAnchor);
  if (verdict.problem) {
    throw new CoreError(verdict.problem.code, `${verdict.problem.message} The vault was not opened and nothing was changed.`);
  }
  migrate(db);
  return checkKeyFileGeneration(db, keyFile, path);
}
