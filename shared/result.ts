/** Results cross the process boundary as values, never as thrown errors, with codes a UI can switch on. */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNKNOWN_CHANNEL',
  'FORBIDDEN_SENDER',
  'INTERNAL',
  'VAULT_ABSENT',
  'VAULT_EXISTS',
  'VAULT_LOCKED',
  'VAULT_UNLOCKED',
  'VAULT_WRONG_PASSPHRASE',
  'VAULT_BACKOFF',
  'VAULT_KEYFILE_MISSING',
  'VAULT_KEYFILE_CORRUPT',
  'VAULT_KEYFILE_MISMATCH',
  'VAULT_FILE_MISSING',
  'VAULT_CORRUPT',
  'VAULT_IN_USE',
  'VAULT_LOCATION_INVALID',
  'VAULT_KEYFILE_WRITE_FAILED',
  'VAULT_KEYFILE_STALE',
  'APP_CONFIG_CORRUPT',
  'AUDIT_TRUNCATED',
  'AUDIT_TAMPERED',
  'PASSPHRASE_WEAK',
  'KEYCHAIN_UNAVAILABLE',
  'KEYCHAIN_NOT_ENROLLED',
  'KEYCHAIN_FAILED',
  'SEAL_INVALID',
  'CREDENTIAL_INVALID',
  'CREDENTIAL_NOT_FOUND',
  'CREDENTIAL_DUPLICATE',
  'CREDENTIAL_CONFLICT',
  'IMPORT_FILE_INVALID',
  'IMPORT_EXPIRED',
  'IMPORT_WRONG_PASSPHRASE',
  'IMPORT_NOTHING_VALID',
  'EXPORT_FAILED',
  'POLICY_NOT_FOUND',
  'POLICY_DUPLICATE',
  'BACKUP_FAILED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ResultError {
  code: ErrorCode;
  message: string;
  /** Set on VAULT_BACKOFF: how long until the next attempt is accepted. */
  retryAfterMs?: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ResultError };
