/**
 * Tokens built by hand for the inspector's tests, so headers, claims and signatures can be
 * anything, and one inspection call with a fixed clock and no vault.
 */
import { createHmac } from 'node:crypto';
import { inspectToken } from '../../electron/core/tokens/inspect';
import { EMPTY_POLICY, type Inspection, type KeySource, type TokenPolicy } from '../../shared/tokens';

export const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
export const now = NOW / 1000;

export const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
export const claims = (extra: Record<string, unknown> = {}) => ({ iss: 'https://auth.example.com', sub: 'user-1', aud: 'api', iat: now - 60, exp: now + 600, scope: 'read write', tenant_id: 'acme', ...extra });

/** A token signed by hand (or not at all). */
export function handMade(header: Record<string, unknown>, payload: Record<string, unknown> | string, signer?: (input: string) => Buffer): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${signer ? signer(input).toString('base64url') : ''}`;
}

export const hmacWith = (secret: Buffer | string, hash = 'sha256') => (input: string) => createHmac(hash, secret).update(input).digest();

export function inspect(token: string, key: KeySource | null = null, policy: Partial<TokenPolicy> | null = null): Promise<Inspection> {
  return inspectAt(NOW, token, key, policy);
}

export function inspectAt(nowMs: number, token: string, key: KeySource | null = null, policy: Partial<TokenPolicy> | null = null): Promise<Inspection> {
  return inspectToken(
    { token, key, policy: policy ? { ...EMPTY_POLICY, ...policy } : null },
    {
      nowMs,
      credentialSecret: () => {
        throw new Error('no vault here');
      },
      serverJwks: () => {
        throw new Error('no vault here');
      },
    },
  );
}

export const codes = (inspection: Inspection) => inspection.findings.map((f) => f.code);
export const finding = (inspection: Inspection, code: string) => inspection.findings.find((f) => f.code === code);
