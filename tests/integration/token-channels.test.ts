import { createHash, generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { EMPTY_POLICY } from '../../shared/tokens';
import { sampleCredential } from '../support/sample-credential';
import { useCoreWithVault } from '../support/core-with-vault';


const t = useCoreWithVault();
const { invoke, value } = t;

const auditActions = async () => (await value<{ entries: { action: string }[] }>('audit:list', {})).entries.map((e) => e.action);

describe('token channels', () => {
  it('keeps policy profiles in the vault, audited, with names unique regardless of case', async () => {
    const policy = { ...EMPTY_POLICY, issuer: 'https://auth.example.com', audiences: ['api'] };
    const saved = await value<{ id: string }>('tokens:savePolicy', { name: 'Production API', policy });
    expect(await invoke('tokens:savePolicy', { name: 'production api', policy })).toMatchObject({ ok: false, error: { code: 'POLICY_DUPLICATE' } });
    await value('tokens:savePolicy', { id: saved.id, name: 'Production API', policy: { ...policy, audiences: ['api', 'billing'] } });
    expect(await value('tokens:listPolicies', {})).toMatchObject({ policies: [{ id: saved.id, name: 'Production API', policy: { audiences: ['api', 'billing'] } }] });
    await value('tokens:deletePolicy', { id: saved.id });
    expect(await invoke('tokens:deletePolicy', { id: saved.id })).toMatchObject({ ok: false, error: { code: 'POLICY_NOT_FOUND' } });
    expect((await auditActions()).slice(0, 3)).toEqual(['tokenPolicy.deleted', 'tokenPolicy.changed', 'tokenPolicy.created']);
  });

  it('keeps every field of a policy profile as given', async () => {
    const policy = {
      issuer: 'https://auth.example.com/realms/acme',
      audiences: ['api', 'billing'],
      algorithms: ['RS256', 'ES256'],
      requiredClaims: ['sub', 'jti'],
      typ: 'at+jwt',
      maxLifetimeSeconds: 3600,
      clockToleranceSeconds: 30,
      requiredScopes: ['orders:read'],
      claimEquals: [{ claim: 'tenant_id', value: '"acme"' }],
    };
    const saved = await value<{ id: string }>('tokens:savePolicy', { name: 'Everything', policy });
    const { policies } = await value<{ policies: { id: string; policy: unknown }[] }>('tokens:listPolicies', {});
    expect(policies.find((p) => p.id === saved.id)?.policy).toEqual(policy);
  });

  it('reads stored profiles through the schema: a field added since takes its default, a broken one is listed apart and can be deleted', async () => {
    const older = await value<{ id: string }>('tokens:savePolicy', { name: 'Older', policy: { ...EMPTY_POLICY, issuer: 'https://auth.example.com' } });
    const broken = await value<{ id: string }>('tokens:savePolicy', { name: 'Broken', policy: EMPTY_POLICY });
    const garbled = await value<{ id: string }>('tokens:savePolicy', { name: 'Garbled', policy: EMPTY_POLICY });
    const listed = await value<{ id: string }>('tokens:savePolicy', { name: 'Listed', policy: EMPTY_POLICY });
    const { claimEquals: _added, ...beforeClaimEquals } = { ...EMPTY_POLICY, issuer: 'https://auth.example.com' };
    t.core.vault.require().write((tx) => {
      const update = tx.db.prepare('UPDATE token_policies SET policy = ? WHERE id = ?');
      update.run(JSON.stringify(beforeClaimEquals), older.id);
      update.run(JSON.stringify({ ...EMPTY_POLICY, clockToleranceSeconds: -5 }), broken.id);
      update.run('{"issuer": "https://auth.exa', garbled.id);
      update.run('["https://auth.example.com"]', listed.id);
    });
    const list = await value<{ policies: { id: string; policy: unknown }[]; unreadable: unknown[] }>('tokens:listPolicies', {});
    expect(list.policies).toEqual([expect.objectContaining({ id: older.id, name: 'Older', policy: { ...EMPTY_POLICY, issuer: 'https://auth.example.com' } })]);
    expect(list.unreadable).toEqual([
      { id: broken.id, name: 'Broken', reason: expect.stringContaining('clockToleranceSeconds') },
      { id: garbled.id, name: 'Garbled', reason: 'it is not JSON' },
      { id: listed.id, name: 'Listed', reason: 'it is not an object' },
    ]);
    // Its name stays taken, and saying "edit that one" would send the user to a profile not offered.
    expect(await invoke('tokens:savePolicy', { name: 'broken', policy: EMPTY_POLICY })).toMatchObject({ ok: false, error: { code: 'POLICY_DUPLICATE', message: expect.stringContaining('"Broken" holds that name but no longer reads as a policy. Delete it') } });
    for (const id of [broken.id, garbled.id, listed.id]) await value('tokens:deletePolicy', { id });
    expect(await value('tokens:listPolicies', {})).toEqual({ policies: [expect.objectContaining({ id: older.id })], unreadable: [] });
  });

  it('verifies with a signing key from the vault, auditing that its secret was used', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const credential = await value<{ id: string }>('credentials:create', { fields: sampleCredential({ kind: 'signing_key', name: 'jwt-signing' }), secret: pem });
    const token = await new SignJWT({ sub: 'x', exp: Math.floor(Date.now() / 1000) + 600 }).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
    const result = await value<{ verdict: string; signature: { key: string } }>('tokens:inspect', { token, key: { kind: 'credential', credentialId: credential.id }, policy: null });
    expect(result.verdict).toBe('valid');
    expect(result.signature.key).toContain('vault signing key jwt-signing');
    expect((await auditActions())[0]).toBe('credential.usedToVerify');
    expect(JSON.stringify(result)).not.toContain('PRIVATE KEY');
  });

  it('audits a vault key used to pair a DPoP proof in Compare as such, apart from the verdicts beside it', async () => {
    const client = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = client.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const credential = await value<{ id: string }>('credentials:create', { fields: sampleCredential({ kind: 'signing_key', name: 'client-dpop-key' }), secret: pem });
    const jwk = await exportJWK(client.publicKey);
    const accessToken = await new SignJWT({ sub: 'x', exp: Math.floor(Date.now() / 1000) + 600, cnf: { jkt: await calculateJwkThumbprint(jwk) } }).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).sign(Buffer.from('issuer secret'));
    const ath = createHash('sha256').update(accessToken).digest('base64url');
    const proof = await new SignJWT({ jti: 'j-1', htm: 'GET', htu: 'https://api.example.com/', iat: Math.floor(Date.now() / 1000), ath }).setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk }).sign(client.privateKey);
    const proofKey = { kind: 'credential', credentialId: credential.id };
    expect(await value('tokens:inspect', { token: proof, key: proofKey, policy: null })).toMatchObject({ verdict: 'valid' });
    expect(await value('tokens:dpopBinding', { proof, proofKey, accessToken, accessTokenKey: null })).toMatchObject({ binding: { verdict: 'bound' } });
    expect((await auditActions()).slice(0, 2)).toEqual(['credential.usedToPairDpop', 'credential.usedToVerify']);
    // The token each side's verdict read from its paste is the one paired; a pick past any paste's tokens is refused by the contract.
    const answer = JSON.stringify({ id_token: await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'HS256' }).sign(Buffer.from('issuer secret')), access_token: accessToken });
    expect(await value('tokens:dpopBinding', { proof, proofKey: null, accessToken: answer, accessTokenKey: null })).toMatchObject({ binding: { verdict: 'not_bound', ath: 'differs' } });
    expect(await value('tokens:dpopBinding', { proof, proofKey: null, accessToken: answer, accessTokenKey: null, accessTokenPick: 1 })).toMatchObject({ binding: { verdict: 'bound' } });
    expect(await invoke('tokens:dpopBinding', { proof, proofKey: null, accessToken: answer, accessTokenKey: null, accessTokenPick: 20 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('answers bad input through the router as a value, never a throw', async () => {
    expect(await invoke('tokens:inspect', { token: 'x'.repeat(9 * 1024 * 1024), key: null, policy: null })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
    // A hostile JWKS is an answer, not an error: the signature is simply not checked, and why.
    expect(await invoke('tokens:inspect', { token, key: { kind: 'jwks', jwks: '{"keys": 5}' }, policy: null })).toMatchObject({
      ok: true,
      value: { verdict: 'unverifiable', findings: expect.arrayContaining([expect.objectContaining({ code: 'NOT_VERIFIED', message: expect.stringContaining('no "keys" array') })]) },
    });
    const withVaultKey = { token, key: { kind: 'credential', credentialId: '00000000-0000-4000-8000-000000000000' }, policy: null };
    expect(await invoke('tokens:inspect', withVaultKey)).toMatchObject({ ok: false, error: { code: 'CREDENTIAL_NOT_FOUND' } });
    // A JWE answers the same, not "the key does not fit".
    const jwe = 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA';
    expect(await invoke('tokens:inspect', { ...withVaultKey, token: jwe })).toMatchObject({ ok: false, error: { code: 'CREDENTIAL_NOT_FOUND' } });
    await t.core.vault.lock('user');
    expect(await invoke('tokens:inspect', withVaultKey)).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
    expect(await invoke('tokens:inspect', { ...withVaultKey, token: jwe })).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
    // Without a vault key the inspector needs no vault at all.
    expect(await invoke('tokens:inspect', { ...withVaultKey, key: null })).toMatchObject({ ok: true, value: { verdict: 'unverifiable' } });
  });
});
