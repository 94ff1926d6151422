/**
 * Which inventory credentials a found secret is. A secret matches by its keyed fingerprint, the
 * same one the inventory keeps beside each sealed secret; a private key also matches a signing
 * key by the RFC 7638 thumbprint of its public half, so it is recognised however it was written
 * (PKCS #1 or #8, wrapped or escaped). No secret is opened to compare.
 */
import type { LeakMatch } from '../../../shared/leaks';
import { fingerprintSecret } from '../credentials/fingerprint';
import { signingKeyThumbprint } from '../credentials/signing-key';
import type { OpenVault } from '../vault/open-vault';
import { statement } from '../vault/statements';

interface MatchRow {
  id: string;
  name: string;
  kind: LeakMatch['kind'];
  environment: string;
  owner: string | null;
  status: LeakMatch['status'];
  fingerprint: string | null;
  public_thumbprint: string | null;
  copies: number;
}

export interface MatchKeys {
  fingerprint: string;
  /** Fingerprints of the other forms the secret may be kept in. */
  alternates: string[];
  /** A private key's public thumbprint; null for anything else, or a key that cannot be read. */
  thumbprint: string | null;
}

/** The fingerprints of a found secret and its other forms, and for a private key its public thumbprint. */
export async function matchKeys(vault: OpenVault, secret: string, variants: string[], privateKey: boolean): Promise<MatchKeys> {
  let thumbprint: string | null = null;
  if (privateKey) thumbprint = await signingKeyThumbprint(secret).catch(() => null);
  const fingerprint = (text: string) => fingerprintSecret(vault.fingerprintKey, text);
  return { fingerprint: fingerprint(secret), alternates: variants.map(fingerprint), thumbprint };
}

/** Credentials by fingerprint and by public thumbprint, in one query per call. */
export function findCredentials(vault: OpenVault, keys: MatchKeys[]): { byFingerprint: Map<string, LeakMatch[]>; byThumbprint: Map<string, LeakMatch[]> } {
  const fingerprints = keys.flatMap((k) => [k.fingerprint, ...k.alternates]);
  const thumbprints = keys.flatMap((k) => (k.thumbprint ? [k.thumbprint] : []));
  const rows = statement(
    vault.db,
    `SELECT c.id, c.name, c.kind, c.environment, c.owner, c.status, c.fingerprint, c.public_thumbprint,
            (SELECT count(*) FROM credential_locations l WHERE l.credential_id = c.id) AS copies
       FROM credentials c
      WHERE c.fingerprint IN (SELECT value FROM json_each(?)) OR c.public_thumbprint IN (SELECT value FROM json_each(?))
      ORDER BY c.name`,
  ).all(JSON.stringify(fingerprints), JSON.stringify(thumbprints)) as MatchRow[];
  const byFingerprint = new Map<string, LeakMatch[]>();
  const byThumbprint = new Map<string, LeakMatch[]>();
  const add = (map: Map<string, LeakMatch[]>, key: string, match: LeakMatch) => map.set(key, [...(map.get(key) ?? []), match]);
  for (const row of rows) {
    const match: LeakMatch = { credentialId: row.id, name: row.name, kind: row.kind, environment: row.environment, owner: row.owner, status: row.status, copies: row.copies };
    if (row.fingerprint) add(byFingerprint, row.fingerprint, match);
    if (row.public_thumbprint) add(byThumbprint, row.public_thumbprint, match);
  }
  return { byFingerprint, byThumbprint };
}

/** The credentials a secret is, each once. */
export function matchesOf(found: ReturnType<typeof findCredentials>, keys: MatchKeys): LeakMatch[] {
  const all = [
    ...[keys.fingerprint, ...keys.alternates].flatMap((fingerprint) => found.byFingerprint.get(fingerprint) ?? []),
    ...(keys.thumbprint ? (found.byThumbprint.get(keys.thumbprint) ?? []) : []),
  ];
  return all.filter((match, i) => all.findIndex((m) => m.credentialId === match.credentialId) === i);
}
