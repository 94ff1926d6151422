/**
 * SD-JWT (RFC 9901) read as its verifier reads it: the disclosed claims put in place of their
 * digests, any disclosure the issuer did not sign refusing the whole presentation, and the Key
 * Binding JWT checked with the holder key the issuer named, against this very presentation.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { CompactEncrypt, exportJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { findTokensInPaste, MAX_SEARCHED_CHARS } from '../../../electron/core/tokens/find-in-paste';
import { inspectToken } from '../../../electron/core/tokens/inspect';
import { KB_WINDOW_S } from '../../../electron/core/tokens/key-binding';
import { MAX_DISCLOSURES, severityRank } from '../../../shared/tokens';
import { NOW, b64, codes, finding, handMade, hmacWith, inspect, inspectAt, now } from '../../support/hand-made-tokens';

const issuer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const holder = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const es256 = (privateKey: KeyObject) => (input: string) => sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
const issuerKey = { kind: 'pem', pem: issuer.publicKey.export({ format: 'pem', type: 'spki' }).toString() } as const;
const holderJwk = await exportJWK(holder.publicKey);

/** 128 random-looking bits, as an issuer's salt is. */
const salt = (n: number) => Buffer.alloc(16, n).toString('base64url');
const disclosure = (...elements: unknown[]) => b64(elements);
const digest = (text: string, hash = 'sha256') => createHash(hash).update(text).digest('base64url');

const given = disclosure(salt(1), 'given_name', 'Erika');
const family = disclosure(salt(2), 'family_name', 'Mustermann');
const email = disclosure(salt(3), 'email', 'erika@example.com');
const locality = disclosure(salt(4), 'locality', 'Berlin');
const nationality = disclosure(salt(5), 'DE');
const DISCLOSURES = [given, family, email, locality, nationality];

/** An identity credential: three claims and an address member selectively disclosable, one nationality too, and a decoy. */
const payload = (extra: Record<string, unknown> = {}) => ({
  iss: 'https://issuer.example.com',
  iat: now - 3600,
  exp: now + 86_400,
  vct: 'https://credentials.example.com/identity_credential',
  _sd: [digest(given), digest(family), digest(email), digest('decoy-1')],
  address: { country: 'DE', _sd: [digest(locality)] },
  nationalities: [{ '...': digest(nationality) }, { '...': digest('withheld-nationality') }],
  _sd_alg: 'sha-256',
  cnf: { jwk: holderJwk },
  ...extra,
});

const issued = (body: Record<string, unknown> = payload(), header: Record<string, unknown> = {}, signer = es256(issuer.privateKey)) => handMade({ alg: 'ES256', typ: 'dc+sd-jwt', ...header }, body, signer);
const presentation = (jwt: string, disclosures: readonly string[] = DISCLOSURES) => `${jwt}~${disclosures.map((d) => `${d}~`).join('')}`;

/** A Key Binding JWT over `hashed` (the presentation up to its last `~`), signed by the holder unless told otherwise. */
function keyBinding(hashed: string, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, signer = es256(holder.privateKey)): string {
  return handMade({ alg: 'ES256', typ: 'kb+jwt', ...header }, { iat: now - 5, aud: 'https://verifier.example.com', nonce: 'n-0S6_WzA2Mj', sd_hash: digest(hashed), ...claims }, signer);
}
const withKeyBinding = (sd: string, claims?: Record<string, unknown>, header?: Record<string, unknown>, signer?: Parameters<typeof keyBinding>[3]) => sd + keyBinding(sd, claims, header, signer);

const inspectPick = (token: string, pick: number) =>
  inspectToken({ token, key: issuerKey, policy: null, pick }, { nowMs: NOW, credentialSecret: () => { throw new Error('no vault here'); }, serverJwks: () => { throw new Error('no vault here'); } });
const claimValue = (result: Awaited<ReturnType<typeof inspect>>, name: string) => result.claims.find((c) => c.name === name)?.value;

describe('an SD-JWT read as its verifier reads it', () => {
  it('puts each disclosed claim in place of its digest, nested and in arrays, and counts what is withheld', async () => {
    const result = await inspect(presentation(issued()), issuerKey);
    expect(result).toMatchObject({ verdict: 'valid', kind: 'sd_jwt', signature: { verified: true } });
    expect(result.summary).toBe("Valid SD-JWT: the issuer's signature verifies with the key given, all 5 disclosures match what the issuer signed, and every check passes.");
    expect(result.claims.map((c) => c.name)).toEqual(['iss', 'iat', 'exp', 'vct', 'address', 'nationalities', 'cnf', 'given_name', 'family_name', 'email']);
    expect(claimValue(result, 'given_name')).toBe('"Erika"');
    expect(claimValue(result, 'address')).toBe('{"country":"DE","locality":"Berlin"}');
    // The withheld nationality is dropped, as a verifier drops it, not shown as a placeholder.
    expect(claimValue(result, 'nationalities')).toBe('["DE"]');
    expect(result.claims.some((c) => c.name === '_sd' || c.name === '_sd_alg')).toBe(false);
    expect(result.sdJwt).toMatchObject({ hashAlg: 'sha-256', withheld: 2, keyBinding: { status: 'absent' } });
    expect(result.sdJwt!.disclosures.map((d) => [d.name, d.path, d.value, d.status])).toEqual([
      ['given_name', 'payload.given_name', '"Erika"', 'disclosed'],
      ['family_name', 'payload.family_name', '"Mustermann"', 'disclosed'],
      ['email', 'payload.email', '"erika@example.com"', 'disclosed'],
      ['locality', 'payload.address.locality', '"Berlin"', 'disclosed'],
      [null, 'payload.nationalities[0]', '"DE"', 'disclosed'],
    ]);
    expect(result.sdJwt!.disclosures[0].digest).toBe(digest(given));
  });

  it('says beside each claim what the holder disclosed in it, and nothing beside what the issuer wrote plainly', async () => {
    const notes = (result: Awaited<ReturnType<typeof inspect>>) => Object.fromEntries(result.claims.map((c) => [c.name, c.note]));
    expect(notes(await inspect(presentation(issued()), issuerKey))).toEqual({
      iss: null, iat: null, exp: null, vct: null, cnf: null,
      address: 'Holds a member disclosed by the holder',
      nationalities: 'Holds a member disclosed by the holder',
      given_name: 'Disclosed by the holder (disclosure 1)',
      family_name: 'Disclosed by the holder (disclosure 2)',
      email: 'Disclosed by the holder (disclosure 3)',
    });
    // A disclosed claim holding a disclosed member is the holder's own, counted by its own disclosure.
    const street = disclosure(salt(10), 'street_address', 'Heidestraße 17');
    const address = disclosure(salt(11), 'address', { _sd: [digest(street)], country: 'DE' });
    const nested = await inspect(presentation(issued(payload({ _sd: [digest(address)], address: undefined })), [street, address]), issuerKey);
    expect(notes(nested).address).toBe('Disclosed by the holder (disclosure 2)');
    // A disclosure the issuer did not sign marks nothing.
    const forged = await inspect(presentation(issued(), [...DISCLOSURES, disclosure(salt(20), 'age', 41)]), issuerKey);
    expect(notes(forged).age).toBeUndefined();
    expect(notes(forged).given_name).toBe('Disclosed by the holder (disclosure 1)');
  });

  it('is valid with nothing high, and says so, when it discloses a little and is bound to no key', async () => {
    const { cnf: _cnf, ...unbound } = payload();
    const result = await inspect(presentation(issued(unbound), [given]), issuerKey);
    expect(result.verdict).toBe('valid');
    expect(result.summary).toBe("Valid SD-JWT: the issuer's signature verifies with the key given, its disclosure matches what the issuer signed, and every check passes.");
    expect(result.sdJwt!.withheld).toBe(6);
    expect(codes(result)).toEqual([]);
  });

  it('refuses the whole presentation for one disclosure the issuer did not sign: a claim added, or a value altered', async () => {
    const forged = disclosure(salt(3), 'email', 'attacker@example.com');
    const added = disclosure(salt(9), 'is_admin', true);
    for (const extra of [forged, added]) {
      const result = await inspect(presentation(issued(), [given, extra]), issuerKey);
      expect(result.verdict).toBe('invalid');
      expect(result.summary).toMatch(/^Invalid: Disclosure 2 \("(email|is_admin)"\) matches no digest the issuer signed: it was added or altered after issuance/);
      expect(finding(result, 'DISCLOSURE_INVALID')).toMatchObject({ severity: 'high', where: 'disclosure 2' });
      expect(result.sdJwt!.disclosures[1]).toMatchObject({ status: 'unreferenced', path: null });
      // What it says is not merged into the claims as if the issuer had.
      expect(claimValue(result, 'is_admin')).toBeUndefined();
      expect(claimValue(result, 'email')).toBeUndefined();
    }
  });

  it('refuses a disclosure that would overwrite a claim the issuer wrote, or stands in the wrong kind of place', async () => {
    const overwriting = disclosure(salt(6), 'iss', 'https://evil.example.com');
    const asElement = disclosure(salt(7), 'given_name', 'Max');
    const asClaim = disclosure(salt(8), 'FR');
    const body = payload({ _sd: [digest(overwriting), digest(asClaim)], nationalities: [{ '...': digest(asElement) }] });
    const result = await inspect(presentation(issued(body), [overwriting, asElement, asClaim]), issuerKey);
    expect(result.verdict).toBe('invalid');
    expect(result.sdJwt!.disclosures.map((d) => d.status)).toEqual(['malformed', 'malformed', 'malformed']);
    const messages = result.findings.filter((f) => f.code === 'DISCLOSURE_INVALID').map((f) => f.message);
    expect(messages).toEqual([
      expect.stringContaining('Disclosure 1 ("iss") discloses "iss", which payload has already'),
      expect.stringContaining("Disclosure 2 (\"given_name\") is a claim's ([salt, name, value]) where the issuer signed an array element's digest, in payload.nationalities"),
      expect.stringContaining("Disclosure 3 is an array element's ([salt, value]) where the issuer signed a claim's digest, in payload"),
    ]);
    expect(claimValue(result, 'iss')).toBe('"https://issuer.example.com"');
  });

  it('refuses a digest the issuer signed twice, a disclosure given twice, and disclosures that do not read', async () => {
    const twice = await inspect(presentation(issued(payload({ _sd: [digest(given), digest(given)] })), [given]), issuerKey);
    expect(finding(twice, 'DISCLOSURE_INVALID')).toMatchObject({ where: 'payload._sd', message: expect.stringContaining('signed the digest') });
    expect(twice.verdict).toBe('invalid');
    const repeated = await inspect(presentation(issued(), [given, given]), issuerKey);
    expect(finding(repeated, 'DISCLOSURE_INVALID')!.message).toContain('Disclosure 2 ("given_name") repeats disclosure 1');
    for (const [bad, why] of [
      [b64('not json'), 'is not JSON'],
      [b64({ salt: 'x', name: 'y' }), 'is not a JSON array'],
      [disclosure(salt(1), 'a', 'b', 'c'), 'is not a JSON array'],
      [disclosure(42, 'email', 'x'), 'salt that is not a string'],
      [disclosure(salt(1), '_sd', ['x']), 'names its claim "_sd", which no disclosure may'],
      [disclosure(salt(1), '...', 'x'), 'names its claim "...", which no disclosure may'],
      ['WyJ+', 'is not base64url'],
      [b64('["a","b","b","b"]'.replace(']', ',{"a":1,"a":2}]')), 'names "a" twice'],
      [b64(`["${salt(1)}","deep",${'['.repeat(40)}${']'.repeat(40)}]`), 'nests JSON deeper than'],
    ] as const) {
      const result = await inspect(presentation(issued(), [given, bad]), issuerKey);
      expect(result.verdict, why).toBe('invalid');
      expect(finding(result, "DISCLOSURE_INVALID")?.message ?? result.summary, why).toContain(why);
      expect(result.sdJwt!.disclosures[1].status, why).toBe('malformed');
    }
    const empty = await inspect(`${issued()}~${given}~~`, issuerKey);
    expect(finding(empty, 'DISCLOSURE_INVALID')!.message).toContain('is empty (two `~` in a row)');
  });

  it('makes a disclosure named __proto__ an own claim, as JSON does, not the prototype of the claims', async () => {
    const proto = disclosure(salt(9), '__proto__', { polluted: true });
    const result = await inspect(presentation(issued(payload({ _sd: [digest(proto)] })), [proto]), issuerKey);
    expect(claimValue(result, '__proto__')).toBe('{"polluted":true}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(result.verdict).toBe('valid');
  });

  it('reads disclosures inside disclosures, as an issuer nests them', async () => {
    const street = disclosure(salt(10), 'street_address', 'Heidestraße 17');
    const address = disclosure(salt(11), 'address', { _sd: [digest(street)], country: 'DE' });
    const result = await inspect(presentation(issued(payload({ _sd: [digest(address)], address: undefined })), [address, street]), issuerKey);
    expect(claimValue(result, 'address')).toBe('{"country":"DE","street_address":"Heidestraße 17"}');
    expect(result.sdJwt!.disclosures.map((d) => d.path)).toEqual(['payload.address', 'payload.address.street_address']);
  });

  it('checks digests with the hash "_sd_alg" names, and refuses one it does not take rather than read disclosures it cannot match', async () => {
    const given512 = disclosure(salt(1), 'given_name', 'Erika');
    const sha512 = await inspect(presentation(issued({ ...payload(), _sd: [digest(given512, 'sha512')], _sd_alg: 'sha-512' }), [given512]), issuerKey);
    expect(sha512.verdict).toBe('valid');
    expect(sha512.sdJwt).toMatchObject({ hashAlg: 'sha-512', disclosures: [{ status: 'disclosed' }] });
    for (const [alg, hint] of [['md5', ''], ['SHA-256', 'Hash names are lower case ("sha-256")'], [256, '']] as const) {
      const result = await inspect(presentation(issued(payload({ _sd_alg: alg })), [given]), issuerKey);
      expect(result.verdict).toBe('invalid');
      expect(finding(result, 'SD_ALG_UNSUPPORTED')).toMatchObject({ severity: 'high', where: 'payload._sd_alg', message: expect.stringContaining(hint) });
      expect(result.sdJwt!.disclosures).toEqual([{ name: null, path: null, value: null, digest: '', status: 'unmatched' }]);
      expect(claimValue(result, 'given_name')).toBeUndefined();
    }
  });

  it('is an SD-JWT pasted without its "~" when the payload carries digests: every claim withheld', async () => {
    const result = await inspect(issued(), issuerKey);
    expect(result).toMatchObject({ kind: 'sd_jwt', verdict: 'valid', sdJwt: { disclosures: [], withheld: 7 } });
    expect(result.summary).toContain('it discloses nothing');
  });

  it('is not valid while the issuer\'s signature is unchecked or fails, whatever the disclosures', async () => {
    expect((await inspect(presentation(issued()))).verdict).toBe('unverifiable');
    const strangerSigned = await inspect(presentation(issued(payload(), {}, es256(stranger.privateKey))), issuerKey);
    expect(strangerSigned.verdict).toBe('invalid');
    const unsecured = await inspect(presentation(handMade({ alg: 'none', typ: 'dc+sd-jwt' }, payload())), issuerKey);
    expect(unsecured.verdict).toBe('invalid');
    expect(codes(unsecured)).toContain('ALG_NONE');
  });

  it('says a short or shared salt lets withheld claims be guessed', async () => {
    const short = disclosure('c2FsdA', 'birthdate', '1963-08-12');
    const result = await inspect(presentation(issued(payload({ _sd: [digest(short)] })), [short]), issuerKey);
    expect(finding(result, 'DISCLOSURE_WEAK_SALT')).toMatchObject({ severity: 'medium', where: 'disclosure 1', message: expect.stringContaining('salt is 6 characters') });
    expect(result.verdict).toBe('valid');
    const a = disclosure(salt(1), 'a', 1);
    const b = disclosure(salt(1), 'b', 2);
    const shared = await inspect(presentation(issued(payload({ _sd: [digest(a), digest(b)] })), [a, b]), issuerKey);
    expect(finding(shared, 'DISCLOSURE_WEAK_SALT')!.message).toContain('2 disclosures share the salt of disclosure 1');
  });

  it('tells personal data the holder disclosed from personal data every presentation shows', async () => {
    const result = await inspect(presentation(issued(payload({ phone_number: '+49 30 1234567' })), [email]), issuerKey);
    const [disclosed, plain] = ['payload.email', 'payload.phone_number'].map((where) => result.findings.find((f) => f.code === 'SENSITIVE_DATA' && f.where === where)!);
    expect(disclosed).toMatchObject({ severity: 'low', message: expect.stringContaining('disclosed by the holder') });
    expect(plain).toMatchObject({ severity: 'medium', message: expect.stringContaining('every presentation shows it') });
  });

  it('refuses a disclosure that would set "_sd_alg", the hash the digests are made with', async () => {
    const hash = disclosure(salt(9), '_sd_alg', 'md5');
    const result = await inspect(presentation(issued(payload({ _sd: [digest(hash)] })), [hash]), issuerKey);
    expect(result.verdict).toBe('invalid');
    expect(finding(result, 'DISCLOSURE_INVALID')!.message).toContain('discloses "_sd_alg"');
    expect(result.sdJwt!.hashAlg).toBe('sha-256');
    expect(claimValue(result, '_sd_alg')).toBeUndefined();
  });

  it('shows a claim as disclosed even when the issuer wrote an integer in it that parsing changes', async () => {
    const body = JSON.stringify(payload()).replace('"address":{', '"address":{"zip":12345678901234567890,');
    const signingInput = `${b64({ alg: 'ES256', typ: 'dc+sd-jwt' })}.${Buffer.from(body).toString('base64url')}`;
    const jwt = `${signingInput}.${es256(issuer.privateKey)(signingInput).toString('base64url')}`;
    const result = await inspect(presentation(jwt), issuerKey);
    expect(claimValue(result, 'address')).toContain('"locality":"Berlin"');
    expect(claimValue(result, 'address')).not.toContain('_sd');
    expect(codes(result)).toContain('IMPRECISE_NUMBER');
  });

  it('says a bad digest once, however many there are', async () => {
    const result = await inspect(`${issued(payload({ _sd: Array.from({ length: 20_000 }, () => 'same') }))}~`, issuerKey);
    expect(result.verdict).toBe('invalid');
    const reported = result.findings.filter((f) => f.code === 'DISCLOSURE_INVALID');
    expect(reported.length).toBeLessThanOrEqual(11);
    expect(reported.at(-1)!.message).toBe('19,989 more problems with the digests the issuer signed are not listed.');
  });

  it('refuses one whose payload is a token, where no disclosure can go', async () => {
    const inner = handMade({ alg: 'ES256' }, { sub: 'x' }, es256(issuer.privateKey));
    const outer = handMade({ alg: 'ES256', cty: 'JWT' }, inner, es256(issuer.privateKey));
    const result = await inspect(`${outer}~${given}~`, issuerKey);
    expect(result).toMatchObject({ verdict: 'invalid', kind: 'sd_jwt', summary: expect.stringContaining('its payload is a token') });
  });

  it('says an expiry missing may be one the holder withheld', async () => {
    const { exp: _exp, ...noExp } = payload();
    const result = await inspect(presentation(issued(noExp), [given]), issuerKey);
    expect(finding(result, 'EXP_MISSING')!.message).toMatch(/^No expiry \("exp"\) among the claims shown\. The issuer may have made it selectively disclosable and the holder withheld it \(6 digests are withheld\)/);
  });

  it('shows a claim disclosures did not touch as the issuer wrote it, and says a disclosed integer past 2^53 is read another way', async () => {
    const body = JSON.stringify(payload({ _sd: [digest(given)] })).replace('"iss":', '"account":{"id":12345678901234567891},"iss":');
    const bigText = Buffer.from(`["${salt(12)}","account_id",12345678901234567891]`).toString('base64url');
    const signingInput = `${b64({ alg: 'ES256', typ: 'dc+sd-jwt' })}.${Buffer.from(body.replace('"_sd":[', `"_sd":["${digest(bigText)}",`)).toString('base64url')}`;
    const jwt = `${signingInput}.${es256(issuer.privateKey)(signingInput).toString('base64url')}`;
    const result = await inspect(presentation(jwt, [given, bigText]), issuerKey);
    expect(result.verdict).toBe('valid');
    expect(claimValue(result, 'account')).toBe('{"id":12345678901234567891}');
    expect(finding(result, 'IMPRECISE_NUMBER')).toMatchObject({ where: 'disclosure 2', message: expect.stringContaining('12345678901234567891') });
  });

  it('compares and shows a disclosed integer past 2^53 as the disclosure wrote it, and drops digests from a claim it shows as written', async () => {
    const account = Buffer.from(`["${salt(14)}", "account_id", 12345678901234567891]`).toString('base64url');
    const body = JSON.stringify(payload({ _sd: [digest(account)] })).replace('"address":{', '"address":{"zip":12345678901234567890,');
    const signingInput = `${b64({ alg: 'ES256', typ: 'dc+sd-jwt' })}.${Buffer.from(body).toString('base64url')}`;
    const jwt = `${signingInput}.${es256(issuer.privateKey)(signingInput).toString('base64url')}`;
    const result = await inspect(`${jwt}~${account}~`, issuerKey, { claimEquals: [{ claim: 'account_id', value: '12345678901234567891' }] });
    expect(result.verdict).toBe('valid');
    expect(claimValue(result, 'account_id')).toBe('12345678901234567891');
    expect(result.sdJwt!.disclosures[0].value).toBe('12345678901234567891');
    // The address's locality is withheld: its digest is gone from what a verifier reads.
    expect(claimValue(result, 'address')).not.toContain('_sd');
  });

  it('refuses a presentation with more disclosures than any credential has, unread', async () => {
    const result = await inspect(`${issued()}${'~AA'.repeat(MAX_DISCLOSURES + 1)}~`);
    expect(result).toMatchObject({ verdict: 'unparseable', summary: expect.stringContaining(`more than ${MAX_DISCLOSURES.toLocaleString('en')} disclosures`) });
  });
});

describe("an SD-JWT's Key Binding JWT", () => {
  const sd = presentation(issued());

  it('is checked with the holder key the issuer named, over this very presentation', async () => {
    const result = await inspect(withKeyBinding(sd), issuerKey);
    expect(result.verdict).toBe('valid');
    expect(result.summary).toBe("Valid SD-JWT: the issuer's signature verifies with the key given, all 5 disclosures match what the issuer signed, the holder's key binding checks, and every check passes.");
    expect(result.sdJwt!.keyBinding).toMatchObject({ status: 'verified', key: expect.stringContaining('the holder key the issuer named in "cnf"."jwk"') });
    expect(result.sdJwt!.keyBinding.claims.map((c) => c.name)).toEqual(['iat', 'aud', 'nonce', 'sd_hash']);
    expect(JSON.parse(result.sdJwt!.keyBinding.header!)).toEqual({ alg: 'ES256', typ: 'kb+jwt' });
    // The KB-JWT is part of the SD-JWT, not a second token beside it.
    expect(result.inPaste).toBeNull();
    // Due again when it grows stale.
    expect(result.recheckAtMs).toBe((now - 5 + KB_WINDOW_S) * 1000);
  });

  it('refuses one signed by anyone but the holder, or with a secret, or not at all', async () => {
    const byStranger = await inspect(withKeyBinding(sd, {}, {}, es256(stranger.privateKey)), issuerKey);
    expect(byStranger.verdict).toBe('invalid');
    expect(finding(byStranger, 'KEY_BINDING_INVALID')).toMatchObject({ severity: 'critical', where: 'kb.signature', message: expect.stringContaining('someone other than the holder') });
    expect(byStranger.sdJwt!.keyBinding.status).toBe('invalid');
    const hmac = await inspect(withKeyBinding(sd, {}, { alg: 'HS256' }, hmacWith('secret')), issuerKey);
    expect(finding(hmac, 'KEY_BINDING_INVALID')).toMatchObject({ severity: 'critical', where: 'kb.alg', message: expect.stringContaining('shared secret') });
    const unsigned = await inspect(withKeyBinding(sd, {}, { alg: 'none' }, () => Buffer.alloc(0)), issuerKey);
    expect(finding(unsigned, 'KEY_BINDING_INVALID')).toMatchObject({ where: 'kb.alg', message: expect.stringContaining('unsigned') });
  });

  it('refuses one made for other disclosures: sd_hash covers exactly what is presented', async () => {
    const madeForAll = keyBinding(sd);
    const oneDropped = presentation(issued(), DISCLOSURES.slice(0, 4));
    const result = await inspect(oneDropped + madeForAll, issuerKey);
    expect(result.verdict).toBe('invalid');
    expect(finding(result, 'KEY_BINDING_INVALID')).toMatchObject({ where: 'kb.sd_hash', message: expect.stringContaining('"sd_hash" is not the sha-256 of this presentation') });
  });

  it('refuses one that is another kind of JWT, lacks what a verifier needs, or is cut', async () => {
    const typed = await inspect(withKeyBinding(sd, {}, { typ: 'JWT' }), issuerKey);
    expect(finding(typed, 'KEY_BINDING_INVALID')).toMatchObject({ where: 'kb.typ' });
    const bare = await inspect(withKeyBinding(sd, { nonce: undefined, aud: 7 }), issuerKey);
    expect(bare.findings.filter((f) => f.code === 'KEY_BINDING_INVALID').map((f) => f.where)).toEqual(['kb.nonce', 'kb.aud']);
    const cut = await inspect(withKeyBinding(sd).slice(0, -20).replace(/\.[^.]*$/, ''), issuerKey);
    expect(cut.summary).toContain('What follows the last "~" is no compact JWS');
    // A disclosure copied without the "~" that ends it reads as no Key Binding JWT: refused, not dropped.
    const unterminated = await inspect(sd.slice(0, -1), issuerKey);
    expect(unterminated.verdict).toBe('invalid');
    expect(unterminated.summary).toContain('a disclosure without the "~" that ends it');
  });

  it('is taken for moments: stale or future-dated, it is refused', async () => {
    const stale = await inspect(withKeyBinding(sd, { iat: now - KB_WINDOW_S - 61 }), issuerKey);
    expect(finding(stale, 'EXPIRED')).toMatchObject({ where: 'kb.iat', message: expect.stringContaining('Replayed now, it is refused') });
    expect(stale.verdict).toBe('invalid');
    const tolerated = await inspect(withKeyBinding(sd, { iat: now - KB_WINDOW_S - 30 }), issuerKey);
    expect(finding(tolerated, 'WITHIN_CLOCK_TOLERANCE')).toMatchObject({ where: 'kb.iat' });
    expect(tolerated.verdict).toBe('valid');
    const future = await inspect(withKeyBinding(sd, { iat: now + 3600 }), issuerKey);
    expect(finding(future, 'ISSUED_IN_FUTURE')).toMatchObject({ where: 'kb.iat' });
    // The same presentation, inspected when it was made, was fine.
    expect((await inspectAt(NOW - 3_000_000, withKeyBinding(sd, { iat: now - 3000 }), issuerKey)).findings.some((f) => f.where === 'kb.iat')).toBe(false);
  });

  it("checks the policy's audiences against the verifier the holder presented it to", async () => {
    const ours = await inspect(withKeyBinding(sd), issuerKey, { audiences: ['https://verifier.example.com'] });
    expect(ours.verdict).toBe('valid');
    const theirs = await inspect(withKeyBinding(sd), issuerKey, { audiences: ['https://other-verifier.example.com'] });
    expect(finding(theirs, 'AUDIENCE_MISMATCH')).toMatchObject({ where: 'kb.aud', message: expect.stringContaining('replayed from another verifier') });
  });

  it('cannot be checked without a holder key the issuer named, and says which', async () => {
    const { cnf: _cnf, ...unbound } = payload();
    const noCnf = presentation(issued(unbound));
    const refused = await inspect(withKeyBinding(noCnf), issuerKey);
    expect(finding(refused, 'KEY_BINDING_INVALID')).toMatchObject({ where: 'payload.cnf', message: expect.stringContaining('names no holder key') });
    const byThumbprint = presentation(issued(payload({ cnf: { jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' } })));
    const unchecked = await inspect(withKeyBinding(byThumbprint), issuerKey);
    expect(unchecked.verdict).toBe('unverifiable');
    expect(unchecked.sdJwt!.keyBinding.status).toBe('unchecked');
    expect(finding(unchecked, 'NOT_VERIFIED')).toMatchObject({ where: 'kb.signature', message: expect.stringContaining('by "jkt" in "cnf"') });
    const leaked = presentation(issued(payload({ cnf: { jwk: { ...(await exportJWK(holder.privateKey)) } } })));
    expect(finding(await inspect(withKeyBinding(leaked), issuerKey), 'KEY_BINDING_INVALID')).toMatchObject({ severity: 'critical', where: 'payload.cnf.jwk' });
  });

  it("refuses one a forgeable or too small holder key verifies; the policy's algorithms are the issuer's, not the holder's", async () => {
    // An Ed25519 point of small order: R = identity and S = 0 verify under it with no private key.
    const identity = Buffer.alloc(32);
    identity[0] = 1;
    const smallOrder = presentation(issued(payload({ cnf: { jwk: { kty: 'OKP', crv: 'Ed25519', x: identity.toString('base64url') } } })));
    const forged = await inspect(withKeyBinding(smallOrder, {}, { alg: 'EdDSA' }, () => Buffer.concat([identity, Buffer.alloc(32)])), issuerKey);
    expect(forged.verdict).toBe('invalid');
    expect(finding(forged, 'KEY_FORGEABLE')).toMatchObject({ severity: 'critical', where: 'payload.cnf.jwk', message: expect.stringContaining('holder key the issuer named in "cnf"') });
    const rsa512 = generateKeyPairSync('rsa', { modulusLength: 512 });
    const small = presentation(issued(payload({ cnf: { jwk: await exportJWK(rsa512.publicKey) } })));
    const byRsa512 = await inspect(withKeyBinding(small, {}, { alg: 'RS256' }, (input) => sign('sha256', Buffer.from(input), rsa512.privateKey)), issuerKey);
    expect(finding(byRsa512, 'KEY_TOO_SMALL')).toMatchObject({ where: 'payload.cnf.jwk' });
    expect(byRsa512.verdict).toBe('invalid');
    const policed = await inspect(withKeyBinding(sd), issuerKey, { algorithms: ['ES256'] });
    expect(policed.verdict).toBe('valid');
    const edHolder = generateKeyPairSync('ed25519');
    const edBound = presentation(issued(payload({ cnf: { jwk: await exportJWK(edHolder.publicKey) } })));
    // A wallet's key binding algorithms are listed apart from the issuer's (OpenID4VP's kb-jwt_alg_values).
    const byEd = await inspect(withKeyBinding(edBound, {}, { alg: 'EdDSA' }, (input) => sign(null, Buffer.from(input), edHolder.privateKey)), issuerKey, { algorithms: ['ES256'] });
    expect(byEd.verdict).toBe('valid');
  });

  it('is a JWT in every other respect: expired, not yet valid, or with a critical extension, it is refused', async () => {
    const expired = await inspect(withKeyBinding(sd, { exp: now - 120 }), issuerKey);
    expect(finding(expired, 'EXPIRED')).toMatchObject({ where: 'kb.exp' });
    const early = await inspect(withKeyBinding(sd, { nbf: now + 3600 }), issuerKey);
    expect(finding(early, 'NOT_YET_VALID')).toMatchObject({ where: 'kb.nbf' });
    expect(early.recheckAtMs).toBe((now - 5 + KB_WINDOW_S) * 1000);
    const critical = await inspect(withKeyBinding(sd, {}, { crit: ['urn:example:ext'], 'urn:example:ext': 1 }), issuerKey);
    expect(finding(critical, 'CRIT_UNSUPPORTED')).toMatchObject({ where: 'kb.crit' });
    for (const result of [expired, early, critical]) expect(result.verdict).toBe('invalid');
  });

  it('takes "aud" as RFC 7519 has it, a string or an array, and checks the policy against any of them', async () => {
    const listed = await inspect(withKeyBinding(sd, { aud: ['https://other.example.com', 'https://verifier.example.com'] }), issuerKey, { audiences: ['https://verifier.example.com'] });
    expect(listed.verdict).toBe('valid');
    const empty = await inspect(withKeyBinding(sd, { aud: [] }), issuerKey);
    expect(finding(empty, 'KEY_BINDING_INVALID')).toMatchObject({ where: 'kb.aud' });
  });

  it('refuses one far larger than any, unread', async () => {
    const huge = await inspect(withKeyBinding(sd, { padding: 'x'.repeat(100_000) }), issuerKey);
    expect(huge.verdict).toBe('invalid');
    expect(finding(huge, 'KEY_BINDING_INVALID')!.message).toMatch(/^The Key Binding JWT is \d+ KB; a real one is a few hundred bytes/);
    expect(huge.sdJwt!.keyBinding).toMatchObject({ status: 'invalid', header: null, claims: [] });
  });

  it('refuses a holder key that is no JWK object, and an algorithm that is not one as registered', async () => {
    for (const jwk of [JSON.stringify(holderJwk), [holderJwk]]) {
      const result = await inspect(withKeyBinding(presentation(issued(payload({ cnf: { jwk } })))), issuerKey);
      expect(finding(result, 'KEY_BINDING_INVALID')).toMatchObject({ where: 'payload.cnf.jwk', message: expect.stringContaining('must be a JWK, a JSON object') });
      expect(result.verdict).toBe('invalid');
    }
    for (const alg of ['es256', 'RS1', 'ES256 ', '']) {
      const result = await inspect(withKeyBinding(sd, {}, { alg }), issuerKey);
      expect(result.verdict, alg).toBe('invalid');
      expect(finding(result, 'KEY_BINDING_INVALID'), alg).toMatchObject({ where: 'kb.alg' });
    }
  });

  it('waits for no instant past what a date holds', async () => {
    const result = await inspect(withKeyBinding(presentation(issued(payload({ exp: undefined }))), { iat: now - KB_WINDOW_S - 600, exp: 1e13 }), issuerKey);
    expect(result.recheckAtMs).toBeNull();
  });

  it('is named a Key Binding JWT when pasted alone, and is never valid apart from its presentation', async () => {
    const alone = keyBinding(sd);
    const result = await inspect(alone, { kind: 'jwk', jwk: JSON.stringify(holderJwk) });
    expect(result).toMatchObject({ kind: 'kb_jwt', verdict: 'unverifiable', signature: { verified: true } });
    expect(result.summary).toContain('it proves nothing apart from the SD-JWT it was made for');
    expect(codes(result)).toEqual(['KEY_BINDING_ALONE']);
  });

  it('is read inside a JWE that carries the whole presentation', async () => {
    const secret = Buffer.alloc(32, 7);
    const jwe = await new CompactEncrypt(new TextEncoder().encode(withKeyBinding(sd))).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'dc+sd-jwt' }).encrypt(secret);
    const result = await inspect(jwe, { kind: 'hmac', secret: secret.toString('base64'), encoding: 'base64' });
    expect(result).toMatchObject({ kind: 'sd_jwt', sdJwt: { keyBinding: { status: 'verified' } } });
    expect(result.sdJwt!.disclosures).toHaveLength(5);
    // The issuer's key was not given for the token inside: it is not valid, and says why.
    expect(result.verdict).toBe('unverifiable');
  });

  it('is not read from a JWE whose plaintext has its "~" written %7E: no verifier percent-decodes a plaintext', async () => {
    const secret = Buffer.alloc(32, 7);
    const jwe = await new CompactEncrypt(new TextEncoder().encode(withKeyBinding(sd).replaceAll('~', '%7E'))).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'dc+sd-jwt' }).encrypt(secret);
    const result = await inspect(jwe, { kind: 'hmac', secret: secret.toString('base64'), encoding: 'base64' });
    expect(result.sdJwt).toBeNull();
    expect(result.verdict).not.toBe('valid');
    expect(codes(result)).not.toContain('SEPARATORS_ESCAPED');
  });

  it('is missed when the issuer bound the credential to a key and the presentation carries none', async () => {
    const result = await inspect(sd, issuerKey);
    expect(finding(result, 'KEY_BINDING_MISSING')).toMatchObject({ severity: 'medium', where: 'payload.cnf', message: expect.stringContaining('whoever copies it can present it') });
    expect(result.verdict).toBe('valid');
  });
});

describe('an SD-JWT in a paste', () => {
  it('is one token with its disclosures and Key Binding JWT, named as the paste names it', async () => {
    const kb = withKeyBinding(presentation(issued()));
    const paste = JSON.stringify({ vp_token: kb, presentation_submission: { id: 'ps-1' }, state: 'af0ifjsldkj' }, null, 2);
    const result = await inspect(paste, issuerKey);
    expect(result).toMatchObject({ verdict: 'valid', kind: 'sd_jwt', inPaste: { names: ['vp_token'], picked: 0 }, sdJwt: { keyBinding: { status: 'verified' } } });
    expect(result.sdJwt!.disclosures).toHaveLength(5);
  });

  it('is one of the tokens of a paste that holds others, read on a pick', async () => {
    const accessToken = handMade({ alg: 'ES256', typ: 'at+jwt' }, { iss: 'https://issuer.example.com', sub: 'u1', exp: now + 600 }, es256(issuer.privateKey));
    const paste = `Authorization: Bearer ${accessToken}\nvp_token=${withKeyBinding(presentation(issued()))}&state=af0`;
    const first = await inspect(paste, issuerKey);
    expect(first).toMatchObject({ kind: 'access_token', inPaste: { names: ['Authorization', 'vp_token'], picked: 0 } });
    const second = await inspectPick(paste, 1);
    expect(second).toMatchObject({ kind: 'sd_jwt', verdict: 'valid', sdJwt: { keyBinding: { status: 'verified' } } });
  });

  it('is refused whole when a disclosure in a paste goes on with a character no SD-JWT has, rather than read without it', async () => {
    const result = await inspect(JSON.stringify({ vp_token: `${issued()}~${given}~WyJ+~`, state: 'x' }), issuerKey);
    expect(result).toMatchObject({ verdict: 'unparseable', sdJwt: null, summary: expect.stringContaining('goes on with "+"') });
  });

  it('joins an SD-JWT wrapped across lines, wherever the wrap falls, and reads it whole', async () => {
    const kb = withKeyBinding(presentation(issued()));
    const afterTilde = kb.indexOf('~', kb.indexOf('~') + 1) + 1;
    const beforeKeyBinding = kb.lastIndexOf('~') + 1;
    const firstTilde = kb.indexOf('~');
    for (const paste of [
      `${kb.slice(0, firstTilde)}\n${kb.slice(firstTilde)}`,
      `${kb.slice(0, afterTilde)}\n${kb.slice(afterTilde)}`,
      `${kb.slice(0, beforeKeyBinding)}\n${kb.slice(beforeKeyBinding)}`,
      `Presentation:\n${kb.match(/.{1,76}/g)!.join('\n')}\n\nThanks`,
      `vp_token:\n  ${kb.match(/.{1,64}/g)!.join('\n  ')}\nstate: af0`,
    ]) {
      const result = await inspect(paste, issuerKey);
      expect(result, paste.slice(0, 40)).toMatchObject({ verdict: 'valid', sdJwt: { keyBinding: { status: 'verified' } } });
      expect(result.sdJwt!.disclosures).toHaveLength(5);
    }
  });

  it('reads an SD-JWT where a JWT is read: before a full stop, a log\'s colon, or in JSON escaped in JSON', async () => {
    const kb = withKeyBinding(presentation(issued()));
    const plain = presentation(issued());
    const wrapped = `${kb.slice(0, kb.lastIndexOf('~') + 1)}\n${kb.slice(kb.lastIndexOf('~') + 1)}`;
    for (const paste of [`Wallet presented ${kb}.`, `Wallet presented ${plain}.`, `rejected ${kb}: nonce mismatch`, `rejected ${wrapped}: nonce mismatch`, JSON.stringify({ body: JSON.stringify({ vp_token: kb }) })]) {
      const result = await inspect(paste, issuerKey);
      expect(result.verdict, paste.slice(0, 30)).toBe('valid');
      expect(result.sdJwt!.disclosures, paste.slice(0, 30)).toHaveLength(5);
    }
    // Its Key Binding JWT wrapped onto the next line before the colon is the SD-JWT's, not a token of its own.
    expect(await inspect(`rejected ${wrapped}: nonce mismatch`, issuerKey)).toMatchObject({ sdJwt: { keyBinding: { status: 'verified' } }, inPaste: { names: [null] } });
  });

  it('joins an SD-JWT wrapped at any column, however its disclosures fall on the lines', async () => {
    const longer = disclosure(salt(13), 'address', { street_address: 'Heidestraße 17, Hinterhaus, 3. Obergeschoss links', locality: 'Berlin', postal_code: '10557', country: 'DE' });
    const kb = withKeyBinding(presentation(issued(payload({ _sd: [digest(given), digest(longer)] })), [given, longer]));
    // Every width from 40 to 100 columns puts the wraps somewhere else among the tildes.
    for (let width = 40; width <= 100; width++) {
      const result = await inspect(`Presentation:\n${kb.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n')}\n\nThanks`, issuerKey);
      expect(result.sdJwt?.disclosures.length, `${width}`).toBe(2);
      expect(result.sdJwt?.keyBinding.status, `${width}`).toBe('verified');
    }
  });

  it('joins a tail of dozens of disclosures printed a line each, and reads every one: a forged one among them refuses it', async () => {
    const many = Array.from({ length: 40 }, (_, i) => disclosure(salt(i + 20), `claim_${i}`, 'x'.repeat(150)));
    const forged = disclosure(salt(99), 'is_admin', true);
    const jwt = issued(payload({ _sd: many.map((d) => digest(d)) }));
    const wrap = (text: string) => text.match(/.{1,76}/g)!.join('\n');
    const printed = await inspect(`${jwt}~\n${[...many, forged].map((d) => wrap(`${d}~`)).join('\n')}`, issuerKey);
    expect(printed.sdJwt!.disclosures).toHaveLength(41);
    expect(printed.verdict).toBe('invalid');
    expect(finding(printed, 'DISCLOSURE_INVALID')!.message).toContain('Disclosure 41 ("is_admin") matches no digest the issuer signed');
    const genuine = await inspect(wrap(`${jwt}~${many.map((d) => `${d}~`).join('')}`), issuerKey);
    expect(genuine).toMatchObject({ verdict: 'valid' });
    expect(genuine.sdJwt!.disclosures).toHaveLength(40);
  });

  it('refuses a tail wrapped past what is joined rather than read it in part; alone, it is read whole', async () => {
    const huge = disclosure(salt(30), 'portrait', 'A'.repeat(70_000));
    const sd = `${issued(payload({ _sd: [digest(huge)] }))}~${huge.match(/.{1,76}/g)!.join('\n')}~`;
    expect((await inspect(sd, issuerKey)).verdict).toBe('valid');
    const result = await inspect(`vp_token: ${sd}\n\nthanks`, issuerKey);
    expect(result.verdict).toBe('unparseable');
    expect(result.summary).toContain('is an SD-JWT whose disclosures are wrapped over more lines, or are longer, than CredOps joins again');
  });

  it('joins a Key Binding JWT wrapped where a shorter key\'s signature would end: the longest whole join wins', async () => {
    const rsaHolder = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const sd = presentation(issued(payload({ cnf: { jwk: await exportJWK(rsaHolder.publicKey) } })));
    const full = withKeyBinding(sd, {}, { alg: 'RS256' }, (input) => sign('sha256', Buffer.from(input), rsaHolder.privateKey));
    const at = full.length - 342 + 171;
    const result = await inspect(`${full.slice(0, at)}\n${full.slice(at)}`, issuerKey);
    expect(result).toMatchObject({ verdict: 'valid', sdJwt: { keyBinding: { status: 'verified' } } });
  });

  it('keeps a "~" after a plain JWT as text: strikethrough, an approximation, a path', async () => {
    const plain = handMade({ alg: 'ES256', typ: 'at+jwt' }, { iss: 'https://issuer.example.com', sub: 'u1', exp: now + 600 }, es256(issuer.privateKey));
    for (const paste of [`~~${plain}~~`, `~${plain}~`, `${plain}~5min`, `see ${plain}~WyA~ig here`, `export TOKEN=${plain}~/bin/run`, `${plain}~`, `${plain}~Wyatt said this fails`, `token: ${plain}~\nWyoming office`, `~~${plain}~~\nWyatt, is this yours?`]) {
      const result = await inspect(paste, issuerKey);
      expect(result, paste.slice(0, 12)).toMatchObject({ verdict: 'valid', kind: 'access_token', sdJwt: null });
    }
  });

  it('reads a JWT joined to a "~" and text by unwrapping as the broken JWT it is, not as an SD-JWT', async () => {
    const odd = handMade({ alg: 'HS999', typ: 'JWT' }, { sub: 'u1', exp: now + 600 }, hmacWith('k'.repeat(32)));
    const result = await inspect(`${odd}~ approx 5 min`.match(/.{1,76}/g)!.join('\n'));
    expect(result).toMatchObject({ verdict: 'unparseable', sdJwt: null, summary: expect.stringContaining('The signature is not base64url: it contains "~"') });
  });

  it('glues no text, fence or second SD-JWT on the next line to an SD-JWT that ended', async () => {
    const plain = presentation(issued());
    for (const paste of [`${plain}\n~5 min later it failed`, `${plain}\n~Alice`, `~~~\n${plain}\n~~~`]) {
      const result = await inspect(paste, issuerKey);
      expect(result.verdict, paste.slice(-12)).toBe('valid');
      expect(result.sdJwt!.disclosures).toHaveLength(5);
    }
    expect((await inspect(`${plain}\n${plain}`, issuerKey)).inPaste!.names).toEqual([null, null]);
  });

  it('answers a tail built to be joined and split again without end at once', () => {
    const jwt = issued();
    const plain = handMade({ alg: 'HS256', typ: 'JWT' }, { sub: 'u1' }, hmacWith('k'.repeat(32)));
    const unsecured = `${b64({ alg: 'none' })}.${b64({})}.`;
    for (const paste of [
      `${jwt}~${`${'.'.repeat(2000)}\n`.repeat(120)}`,
      `${`${jwt}~`.repeat(100)}${'a'.repeat(100_000)}/`,
      `${jwt}~${`${'A'.repeat(1900)}\n`.repeat(128)}`,
      `${plain}~${'A'.repeat(1100)}\n`.repeat(200),
      `${jwt}~${`WyJ${'A'.repeat(1000)}~\n`.repeat(240)}`,
      `${`${jwt}%7E`.repeat(100)}${'a'.repeat(100_000)}/`,
      `${`${plain}%7EWyJ${'A'.repeat(1000)}%7E `.repeat(200)}`,
      // Many JWTs glued to one run of tildes: each would read the run again to its end.
      `${`${unsecured}~`.repeat(200)}${'~'.repeat(240_000)}`,
      `${`${unsecured}%7E~`.repeat(200)}${'%7E'.repeat(80_000)}`,
      `${`${unsecured}~`.repeat(200)}${'~WyA'.repeat(60_000)}`,
      // A part as long as one may be, then a wrap at every character: its header is not decoded again at each line.
      Array.from({ length: 3 }, () => `${jwt}~${'A'.repeat(60_000)}.x.y${'\nA'.repeat(4096)}`).join('\n\n'),
      // A Key Binding JWT with a 4 KB header and an algorithm that fixes no length, then a wrap at every character: not joined on.
      Array.from({ length: 19 }, () => `${presentation(jwt)}${b64({ alg: 'X', typ: 'kb+jwt', pad: 'a'.repeat(2950) })}.${b64({ iat: 1 })}.${'A\n'.repeat(4096)}`).join('\n\n'),
      Array.from({ length: 19 }, () => `${presentation(jwt)}${b64({ alg: 'ES256', typ: 'kb+jwt', pad: 'a'.repeat(2950) })}.${b64({ iat: 1 })}.${'A\n'.repeat(4096)}`).join('\n\n'),
    ]) {
      // Within what is searched, or the guard would time nothing.
      expect(paste.length).toBeLessThanOrEqual(MAX_SEARCHED_CHARS);
      const started = performance.now();
      findTokensInPaste(paste);
      // A guard against a search that grows with the square of the paste (seconds), not a timing: the bench times pastes.
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it('is not glued to the next line when it ends whole, unless that line goes on with "~" or a Key Binding JWT', async () => {
    const plain = presentation(issued());
    const other = handMade({ alg: 'ES256', typ: 'at+jwt' }, { sub: 'u1' }, es256(issuer.privateKey));
    const result = await inspect(`vp_token=${plain}\naccess_token=${other}`, issuerKey);
    expect(result.inPaste!.names).toEqual(['vp_token', 'access_token']);
    expect(result.sdJwt!.disclosures).toHaveLength(5);
  });

  it("reads an SD-JWT whose every ~ a form body wrote as %7E, alone or in the body, with its Key Binding JWT checked over the ~ form", async () => {
    const kb = withKeyBinding(presentation(issued()));
    const escaped = kb.replaceAll('~', '%7E');
    for (const [paste, names] of [
      [escaped, undefined],
      [` ${kb.replaceAll('~', '%7e')}\n`, undefined],
      [`POST /cb HTTP/1.1\n\nvp_token=${escaped}&presentation_submission=%7B%22id%22%3A%22ps-1%22%7D&state=af0`, ['vp_token']],
      [`redirect=https%3A%2F%2Fverifier.example.com%2Fcb%3Fvp_token%3D${escaped}%26state%3Daf0`, ['vp_token']],
      [`Wallet presented ${escaped}.`, [null]],
    ] as const) {
      const result = await inspect(paste, issuerKey);
      expect(result, paste.slice(0, 30)).toMatchObject({ verdict: 'valid', kind: 'sd_jwt', sdJwt: { keyBinding: { status: 'verified' } } });
      expect(result.sdJwt!.disclosures, paste.slice(0, 30)).toHaveLength(5);
      // Alone it is one token; in text the paste says what it was read from.
      expect(result.inPaste?.names, paste.slice(0, 30)).toEqual(names);
      // And that its separators were decoded, which only a form body or URL does.
      expect(codes(result), paste.slice(0, 30)).toContain('SEPARATORS_ESCAPED');
    }
    // Where no verifier decodes it (a JSON body, a header), the same finding is what says it would be rejected.
    const inJson = await inspect(JSON.stringify({ vp_token: escaped }), issuerKey);
    expect(inJson).toMatchObject({ verdict: 'valid', inPaste: { names: ['vp_token'] } });
    expect(finding(inJson, 'SEPARATORS_ESCAPED')).toMatchObject({ severity: 'low', message: expect.stringContaining('a JSON body, an Authorization header') });
    expect(codes(await inspect(`vp_token=${kb}&state=af0`, issuerKey))).not.toContain('SEPARATORS_ESCAPED');
    // Listed with the others, most severe first: above what is only information.
    const unkeyed = await inspect(escaped);
    expect(codes(unkeyed)).toContain('SEPARATORS_ESCAPED');
    const ranks = unkeyed.findings.map((f) => severityRank(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    // A ~ left unescaped after the first %7E is still a separator.
    const mixed = `${kb.slice(0, kb.indexOf('~'))}%7E${kb.slice(kb.indexOf('~') + 1)}`;
    expect(await inspect(`vp_token=${mixed}&state=af0`, issuerKey)).toMatchObject({ verdict: 'valid', sdJwt: { keyBinding: { status: 'verified' } } });
  });

  it('joins an escaped SD-JWT wrapped across lines as it joins one with ~, and refuses one wrapped inside an escape', async () => {
    const kb = withKeyBinding(presentation(issued()));
    const escaped = kb.replaceAll('~', '%7E');
    const afterSecond = escaped.indexOf('%7E', escaped.indexOf('%7E') + 3) + 3;
    const beforeKeyBinding = escaped.lastIndexOf('%7E') + 3;
    for (const paste of [
      `vp_token=${escaped.slice(0, afterSecond)}\n${escaped.slice(afterSecond)}&state=af0`,
      `vp_token=${escaped.slice(0, beforeKeyBinding)}\n${escaped.slice(beforeKeyBinding)}`,
      `${escaped.slice(0, afterSecond)}\n${escaped.slice(afterSecond)}`,
      `vp_token=${escaped}&state=af0`.match(/.{1,76}/g)!.join('\n'),
      `vp_token:\n  ${escaped.match(/.{1,64}/g)!.join('\n  ')}\nstate: af0`,
      // Wrapped just before the first %7E, as a ~ on the next line is joined.
      `vp_token=${escaped.replace('%7E', '\n%7E')}&state=af0`,
      escaped.replace('%7E', '\n%7E'),
      // A log's colon after a tail whose last line is whole.
      `rejected ${escaped.slice(0, afterSecond)}\n${escaped.slice(afterSecond)}: nonce mismatch`,
      // Alone, wrapped at any width, wherever the wraps fall among the escapes.
      ...[60, 64, 72, 76, 80].flatMap((width) => [0, 9, 23, 41].map((shift) => (' '.repeat(shift) + escaped).match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n').trimStart())),
    ]) {
      const result = await inspect(paste, issuerKey);
      // Read whole, never cut at the line break: that would be valid with fewer disclosures and no key binding.
      expect(result, paste.slice(0, 40)).toMatchObject({ verdict: 'valid', sdJwt: { keyBinding: { status: 'verified' } } });
      expect(result.sdJwt!.disclosures).toHaveLength(5);
    }
    // A wrap inside an escape, on the tail's first line or a later one: refused, not read up to it.
    const inEscape = escaped.indexOf('%7E', afterSecond) + 2;
    const inLaterEscape = escaped.indexOf('%7E', inEscape) + 1;
    for (const paste of [`vp_token=${escaped.slice(0, inEscape)}\n${escaped.slice(inEscape)}`, `vp_token=${escaped.slice(0, afterSecond)}\n${escaped.slice(afterSecond, inLaterEscape)}\n${escaped.slice(inLaterEscape)}`]) {
      expect(await inspect(paste, issuerKey)).toMatchObject({ verdict: 'unparseable', sdJwt: null, summary: expect.stringContaining('goes on with "%"') });
    }
    // A tail wrapped onto a line that goes on with a character no token has is broken there, not cut at the wrap.
    for (const sd of [escaped, kb]) {
      const cut = sd.indexOf(sd === kb ? '~' : '%7E', sd.indexOf(sd === kb ? '~' : '%7E') + 1) + (sd === kb ? 1 : 3);
      expect(await inspect(`vp_token=${sd.slice(0, cut)}\n${sd.slice(cut)}+x`, issuerKey)).toMatchObject({ verdict: 'unparseable', summary: expect.stringContaining('goes on with "+"') });
    }
  });

  it('refuses a JWT followed by %7E and no SD-JWT tail, and an escaped tail that goes on broken, rather than read either in part', async () => {
    const plain = handMade({ alg: 'ES256', typ: 'at+jwt' }, { iss: 'https://issuer.example.com', sub: 'u1', exp: now + 600 }, es256(issuer.privateKey));
    const escaped = presentation(issued()).replaceAll('~', '%7E');
    for (const [paste, character] of [
      [`token=${plain}%7Estrike&x=1`, '%'],
      [`vp_token=${escaped}%3D%3D&state=af0`, '%'],
      [`vp_token=${escaped}+more`, '+'],
      // A full stop before the escape: decoded once, `ey….~…` is no SD-JWT, and the JWT alone is not what was sent.
      [`token=${plain}.%7Estrike&x=1`, '%'],
      [`vp_token=${issued()}.${escaped.slice(escaped.indexOf('%7E'))}`, '%'],
    ] as const) {
      expect(await inspect(paste, issuerKey), paste.slice(-12)).toMatchObject({ verdict: 'unparseable', sdJwt: null, summary: expect.stringContaining(`goes on with "${character}"`) });
    }
    // Alone, it is refused for the character the paste has, not the ~ it would decode to.
    expect(await inspect(`${plain}%7Ex`, issuerKey)).toMatchObject({ verdict: 'unparseable', summary: expect.stringContaining('it contains "%"') });
  });

  it('joins a Key Binding JWT whose header a wrap cut before its first dot, rather than take it for a token of its own', async () => {
    const sd = presentation(issued());
    const bound = withKeyBinding(sd, {}, { kid: `holder-key-${'0123456789'.repeat(6)}` });
    const keyBinding = bound.slice(sd.length);
    expect(keyBinding.indexOf('.')).toBeGreaterThan(60);
    for (const form of [bound, bound.replaceAll('~', '%7E')]) {
      const tail = form.slice(form.length - keyBinding.length);
      const head = form.slice(0, form.length - keyBinding.length);
      for (const paste of [`${head}\n${tail.slice(0, 60)}\n${tail.slice(60)}`, `vp_token=${head}\n${tail.slice(0, 60)}\n${tail.slice(60)}\nstate=af0`]) {
        const result = await inspect(paste, issuerKey);
        expect(result, paste.slice(0, 12)).toMatchObject({ verdict: 'valid', sdJwt: { keyBinding: { status: 'verified' } } });
        expect(result.inPaste?.names ?? [null], paste.slice(0, 12)).toHaveLength(1);
      }
    }
    // A word below a tail that ends with "~" is still text, even one a header could begin like.
    for (const below of ['expired at 10:00', 'eyes only', 'ewww', b64({ kid: 'abc', n: 1 })]) expect(await inspect(`${sd}\n${below}`, issuerKey), below).toMatchObject({ verdict: 'valid', sdJwt: { keyBinding: { status: 'absent' } } });
    // And a JWT or SD-JWT of its own below it, folded where its header is cut, stays a token of its own.
    const accessToken = handMade({ alg: 'ES256', typ: 'at+jwt', kid: 'https://keys.example.com/2026/11/signing-key-1' }, { sub: 'u1' }, es256(issuer.privateKey));
    const fold = (token: string) => token.match(/.{1,64}/g)!.join('\n');
    for (const [below, names] of [[accessToken, [null, null]], [presentation(issued(payload(), { kid: 'https://keys.example.com/2026/11/issuer-key-7' })), [null, null]]] as const) {
      for (const form of [sd, sd.replaceAll('~', '%7E')]) {
        const result = await inspect(`${form}\n${fold(below)}`, issuerKey);
        expect(result, form.slice(-12)).toMatchObject({ verdict: 'valid', sdJwt: { keyBinding: { status: 'absent' } }, inPaste: { names } });
        expect(result.sdJwt!.disclosures).toHaveLength(5);
      }
    }
  });

  it('reads an SD-JWT as pasted with a line break after it or in quotes', async () => {
    const kb = withKeyBinding(presentation(issued()));
    for (const paste of [`${kb}\n`, `"${kb}"`, `  ${kb}  `]) expect((await inspect(paste, issuerKey)).sdJwt?.keyBinding.status).toBe('verified');
  });
});
