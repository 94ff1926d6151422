/**
 * What to verify with: a shared secret, a PEM key or certificate, a JWK, a JWKS, a key from the
 * vault, or a saved server's last fetched JWKS. Never a key the token names: a DPoP proof is
 * checked with the key it carries (RFC 9449 §4.3), but that can only refuse it, never make it valid.
 */
import { useEffect, useMemo, useState } from 'react';
import type { CredentialSummary } from '../../../shared/credentials';
import type { ServerSummary } from '../../../shared/servers';
import type { KeySource } from '../../../shared/tokens';
import { api, unwrap } from '../../api';

type Kind = 'none' | KeySource['kind'];

const LABELS: Record<Kind, string> = {
  // Not "decode only": a DPoP proof is checked with the key it carries, key or none.
  none: 'No key',
  hmac: 'HMAC secret',
  pem: 'PEM public key or certificate',
  jwk: 'JWK',
  jwks: 'JWKS (key set)',
  credential: 'Key from the vault',
  server: "A saved server's JWKS",
};

/** `legend`: the fieldset's name, which tells two pickers on one screen apart. */
export function KeyPicker({ onChange, legend = 'Verify with' }: { onChange(key: KeySource | null): void; legend?: string }) {
  const [kind, setKind] = useState<Kind>('none');
  const [text, setText] = useState('');
  const [encoding, setEncoding] = useState<'text' | 'base64' | 'base64url'>('text');
  const [credentialId, setCredentialId] = useState('');
  const [vaultKeys, setVaultKeys] = useState<CredentialSummary[]>([]);
  const [serverId, setServerId] = useState('');
  const [servers, setServers] = useState<ServerSummary[]>([]);

  useEffect(() => {
    if (kind !== 'server') return;
    unwrap(api().servers.list()).then(
      (answer) => setServers(answer.servers),
      () => setServers([]),
    );
  }, [kind]);

  useEffect(() => {
    if (kind !== 'credential') return;
    unwrap(api().credentials.list({ limit: 500 })).then(
      ({ credentials }) => setVaultKeys(credentials.filter((c) => c.hasSecret)),
      () => setVaultKeys([]),
    );
  }, [kind]);

  const key = useMemo<KeySource | null>(() => {
    if (kind === 'none') return null;
    if (kind === 'credential') return credentialId ? { kind, credentialId } : null;
    if (kind === 'server') return serverId ? { kind, serverId } : null;
    if (!text.trim()) return null;
    if (kind === 'hmac') return { kind, secret: text, encoding };
    if (kind === 'pem') return { kind, pem: text };
    if (kind === 'jwk') return { kind, jwk: text };
    return { kind, jwks: text };
  }, [kind, text, encoding, credentialId, serverId]);
  useEffect(() => onChange(key), [key, onChange]);

  return (
    <fieldset className="key-picker">
      <legend>{legend}</legend>
      <select aria-label="Key source" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
        {(Object.keys(LABELS) as Kind[]).map((k) => (
          <option key={k} value={k}>
            {LABELS[k]}
          </option>
        ))}
      </select>
      {kind === 'hmac' && (
        <>
          <input aria-label="HMAC secret" type="password" autoComplete="off" value={text} onChange={(e) => setText(e.target.value)} placeholder="The shared secret" />
          <select aria-label="Secret encoding" value={encoding} onChange={(e) => setEncoding(e.target.value as typeof encoding)}>
            <option value="text">as text</option>
            <option value="base64">base64</option>
            <option value="base64url">base64url</option>
          </select>
        </>
      )}
      {(kind === 'pem' || kind === 'jwk' || kind === 'jwks') && (
        <textarea aria-label={LABELS[kind]} className="mono" rows={4} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} placeholder={kind === 'pem' ? '-----BEGIN PUBLIC KEY-----' : '{ "kty": … }'} />
      )}
      {kind === 'credential' && (
        <select aria-label="Vault key" value={credentialId} onChange={(e) => setCredentialId(e.target.value)}>
          <option value="">Choose a credential…</option>
          {vaultKeys.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({c.environment}, {c.kind === 'signing_key' ? 'signing key' : 'as HMAC secret'})
            </option>
          ))}
        </select>
      )}
      {kind === 'credential' && <span className="hint small">Using a vault key is recorded in the audit log.</span>}
      {kind === 'server' && (
        <select aria-label="Saved server" value={serverId} onChange={(e) => setServerId(e.target.value)}>
          <option value="">Choose a server…</option>
          {servers.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.issuer})
            </option>
          ))}
        </select>
      )}
      {kind === 'server' && <span className="hint small">Uses the key set last fetched on the Servers screen; nothing is fetched now.</span>}
    </fieldset>
  );
}
