import { createHash, createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { expect as expectPage } from '@playwright/test';
import { calculateJwkThumbprint, exportJWK, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_POLICY } from '../../shared/tokens';
import { STRONG_PASSPHRASE } from '../support/test-platform';
import { createVaultInUi, startHarness, type Harness } from './harness';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
  await createVaultInUi(h, STRONG_PASSPHRASE);
  const { page } = h;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Inspector' }).click();
  await expectPage(page.getByRole('heading', { name: 'Inspector' })).toBeVisible();
});

afterEach(async () => {
  await h.close();
});

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claims = (extra: Record<string, unknown> = {}) => ({ iss: 'https://auth.example.com', sub: 'user-1', aud: 'api', iat: now() - 60, exp: now() + 3600, scope: 'read', ...extra });
/** A token whose payload is exactly this text, signed: for numbers and member orders JSON.stringify would change. */
const rawToken = (payload: string) => {
  const input = `${b64({ alg: 'RS256', kid: 'k1', typ: 'at+jwt' })}.${Buffer.from(payload).toString('base64url')}`;
  return `${input}.${sign('sha256', Buffer.from(input), rsa.privateKey).toString('base64url')}`;
};
const signed = (extra: Record<string, unknown> = {}) => new SignJWT(claims(extra)).setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'at+jwt' }).sign(rsa.privateKey);

describe('inspector', () => {
  it('verifies a token with a pasted JWKS against a saved policy: valid, no findings', async () => {
    const { page } = h;
    const exp = now() + 3600;
    const token = await signed({ exp });
    await page.getByLabel('Token').fill(`Bearer ${token}`);
    await expectPage(page.getByTestId('verdict')).toContainText('Unverifiable');
    await page.getByLabel('Key source').selectOption('jwks');
    await page.getByLabel('JWKS (key set)').fill(JSON.stringify({ keys: [{ ...(await exportJWK(rsa.publicKey)), kid: 'k1', alg: 'RS256' }] }));
    await page.getByLabel('Policy').selectOption('custom');
    await page.getByLabel(/^Issuer/).fill('https://auth.example.com');
    await page.getByLabel(/^Audiences/).fill('api');
    await page.getByLabel(/^Allowed algorithms/).fill('RS256');
    await page.getByLabel(/^Required typ/).fill('at+jwt');
    await expectPage(page.getByTestId('verdict')).toContainText('Valid');
    await expectPage(page.getByRole('list', { name: 'Findings' })).toHaveCount(0);
    await expectPage(page.getByRole('region', { name: 'Signature' })).toContainText('kid k1');
    // Each instant in UTC, in this machine's local time (as the browser writes it), and relative.
    const local = await page.evaluate((ms) => new Date(ms).toLocaleString(), exp * 1000);
    const utc = new Date(exp * 1000).toISOString().slice(0, 19).replace('T', ' ');
    await expectPage(page.getByRole('region', { name: 'Claims' })).toContainText(`${utc} UTC · ${local} local · in 60 min`);

    await page.getByLabel('Policy name').fill('Production API');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expectPage(page.getByText('Saved "Production API" in the vault.')).toBeVisible();
    await expectPage(page.getByLabel('Policy').locator('option', { hasText: 'Production API' })).toHaveCount(1);
    await h.screenshot('inspector-01-valid');

    // The saved profile comes back whole: leave it, pick it again, and the form and verdict return.
    const picker = page.getByLabel('Policy', { exact: true });
    await picker.selectOption('none');
    await expectPage(page.getByLabel(/^Issuer/)).toHaveCount(0);
    await picker.selectOption({ label: 'Production API' });
    await expectPage(page.getByLabel(/^Issuer/)).toHaveValue('https://auth.example.com');
    await expectPage(page.getByLabel(/^Required typ/)).toHaveValue('at+jwt');
    await expectPage(page.getByTestId('verdict')).toContainText('Valid');

    await page.getByLabel(/^Audiences/).fill('billing');
    await expectPage(page.getByTestId('verdict')).toContainText('Invalid');
    await expectPage(page.getByRole('list', { name: 'Findings' })).toContainText('AUDIENCE_MISMATCH');
    expect(h.pageErrors).toEqual([]);
    // Nothing pasted was kept: the vault recorded the saved policy, and nothing of the token.
    const audit = await h.core.router.invoke('audit:list', {});
    const text = JSON.stringify(audit);
    expect(text).toContain('tokenPolicy.created');
    expect(text).not.toContain(token.split('.')[1]);
    expect(h.calls.filter((call) => call.channel !== 'tokens:inspect').every((call) => !JSON.stringify(call.input).includes(token.split('.')[2]))).toBe(true);
  });

  it('turns a valid verdict left on screen invalid when the token expires, asking main once, not on a timer', async () => {
    const { page } = h;
    const secret = randomBytes(32);
    await page.getByLabel('Key source').selectOption('hmac');
    await page.getByLabel('HMAC secret').fill(secret.toString('base64'));
    await page.getByLabel('Secret encoding').selectOption('base64');
    await page.getByLabel('Policy').selectOption('custom');
    await page.getByLabel(/^Clock tolerance/).fill('0');
    const exp = now() + 7;
    const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims({ iat: now() - 10, exp }))}`;
    await page.getByLabel('Token').fill(`${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`);
    await expectPage(page.getByTestId('verdict')).toContainText('Valid');
    const expRow = page.getByRole('region', { name: 'Claims' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'exp', exact: true }) });
    await expectPage(expRow).toContainText(/in [1-7] s/);
    await expectPage(page.getByTestId('checked-at')).toContainText('checked again at');
    const inspections = () => h.calls.filter((call) => call.channel === 'tokens:inspect').length;
    const asked = inspections();

    // Nobody touches anything: the screen asks again as exp passes, and says so.
    await expectPage(page.getByTestId('verdict')).toContainText('Invalid', { timeout: 12_000 });
    await expectPage(page.getByRole('list', { name: 'Findings' })).toContainText('EXPIRED');
    await expectPage(page.getByTestId('verdict')).toContainText('before this check');
    await expectPage(page.getByTestId('checked-at')).not.toContainText('checked again at');
    // The relative time keeps counting on its own.
    await expectPage(expRow).toContainText(/ [1-9] s ago/, { timeout: 3000 });
    await expectPage(expRow).toContainText(/ ([3-9]|\d\d) s ago/, { timeout: 5000 });
    expect(inspections()).toBe(asked + 1);
    await h.screenshotContent('inspector-05-expired-while-open');
    expect(h.pageErrors).toEqual([]);
  });

  it('names a saved policy that no longer reads as one, never offers it, and deletes it', async () => {
    const { page } = h;
    const kept = await h.value<{ id: string }>('tokens:savePolicy', { name: 'Payments', policy: { ...EMPTY_POLICY, issuer: 'https://auth.example.com' } });
    const broken = await h.value<{ id: string }>('tokens:savePolicy', { name: 'Legacy gateway', policy: EMPTY_POLICY });
    h.core.vault.require().write((tx) => tx.db.prepare('UPDATE token_policies SET policy = ? WHERE id = ?').run(JSON.stringify({ ...EMPTY_POLICY, algorithms: 'RS256' }), broken.id));
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('button', { name: 'Audit' }).click();
    await nav.getByRole('button', { name: 'Inspector' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Legacy gateway' });
    await expectPage(alert).toContainText('no longer reads as a policy (algorithms:');
    await expectPage(page.getByLabel('Policy').locator('option', { hasText: 'Legacy gateway' })).toHaveCount(0);
    await expectPage(page.getByLabel('Policy').locator('option', { hasText: 'Payments' })).toHaveCount(1);
    await h.screenshot('inspector-06-unreadable-policy');
    await alert.getByRole('button', { name: 'Delete "Legacy gateway"' }).click();
    await expectPage(alert).toHaveCount(0);
    const { policies, unreadable } = await h.value<{ policies: { id: string }[]; unreadable: unknown[] }>('tokens:listPolicies', {});
    expect(policies.map((p) => p.id)).toEqual([kept.id]);
    expect(unreadable).toEqual([]);
    expect(h.pageErrors).toEqual([]);
  });

  it('calls an alg none token invalid and says why', async () => {
    const { page } = h;
    await page.getByLabel('Token').fill(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims({ sub: 'admin' }))}.`);
    await expectPage(page.getByTestId('verdict')).toContainText('Invalid');
    const findings = page.getByRole('list', { name: 'Findings' });
    await expectPage(findings).toContainText('ALG_NONE');
    await expectPage(findings).toContainText('anyone can write this token');
    await h.screenshot('inspector-02-alg-none');
  });

  it('names an opaque token, even one with dots, and calls a broken JWT unparseable', async () => {
    const { page } = h;
    const verdict = page.getByTestId('verdict');
    const findings = page.getByRole('list', { name: 'Findings' });
    const input = page.getByLabel('Token');
    await input.fill(`Bearer sk_live_${'Zq81mVx3KpT0'.repeat(3)}`);
    await expectPage(verdict).toContainText('Opaque');
    await expectPage(verdict).toContainText('Stripe: Stripe secret key (live mode). It is not a JWT');
    // Said once: the verdict names it, the finding says what to do.
    await expectPage(verdict).not.toContainText('· opaque token');
    await expectPage(findings).toContainText('Roll it in the Stripe dashboard');
    await expectPage(page.getByText('Roll it in the Stripe dashboard')).toHaveCount(1);
    await h.screenshot('inspector-12-opaque-stripe');
    // Three parts, as Discord's bot tokens have, but the first is no JOSE header: a token, not a broken JWT.
    await input.fill('MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs');
    await expectPage(verdict).toContainText('Opaque');
    await expectPage(findings).toContainText('the first is no JOSE header');
    await h.screenshot('inspector-12-opaque-dotted');
    // A JWT that lost its signature part begins with a JOSE header: broken, and said so.
    await input.fill(`${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims())}`);
    await expectPage(verdict).toContainText('Unparseable');
    await expectPage(page.getByText('2 parts separated by dots; a JWS has 3 and a JWE 5').first()).toBeVisible();
  });

  it('reads the tokens in a token endpoint answer pasted whole, says which one it read, and reads another on a click', async () => {
    const { page } = h;
    const verdict = page.getByTestId('verdict');
    const findings = page.getByRole('list', { name: 'Findings' });
    const tokens = page.getByRole('group', { name: 'Found in the paste' });
    const idToken = await new SignJWT({ ...claims({ aud: 'client-1', nonce: 'n-0S6_WzA2Mj', auth_time: now() - 120 }), scope: undefined }).setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT' }).sign(rsa.privateKey);
    const answer = JSON.stringify({ access_token: await signed(), token_type: 'Bearer', expires_in: 3600, refresh_token: 'Qm8xZk2pR7vL4nT9sW1yB6cH3jD5fG0aE2rT8uY1', id_token: idToken }, null, 2);
    await page.getByLabel('Token').fill(answer);
    await expectPage(verdict).toContainText('access token');
    await expectPage(tokens.getByRole('button', { name: 'access_token' })).toHaveAttribute('aria-pressed', 'true');
    await expectPage(findings).toContainText('Read "access_token", one of 3 tokens in the paste; the text around them was not read. The others: "refresh_token", "id_token".');
    await h.screenshot('inspector-14-token-response');
    // The opaque refresh token beside the JWTs is a token of the paste too: read as one on a click.
    await tokens.getByRole('button', { name: 'refresh_token' }).click();
    await expectPage(verdict).toContainText('Opaque');
    await expectPage(findings).toContainText('Read "refresh_token", one of 3 tokens in the paste');
    await h.screenshot('inspector-14-token-response-refresh-token');
    await tokens.getByRole('button', { name: 'id_token' }).click();
    await expectPage(verdict).toContainText('ID token');
    await expectPage(tokens.getByRole('button', { name: 'id_token' })).toHaveAttribute('aria-pressed', 'true');
    await expectPage(page.getByRole('region', { name: 'Claims' })).toContainText('n-0S6_WzA2Mj');
    await h.screenshot('inspector-14-token-response-id-token');
    // A new paste starts from its first token again.
    await page.getByLabel('Token').fill(`${idToken}\n${await signed()}`);
    await expectPage(tokens.getByRole('button', { name: 'token 1' })).toHaveAttribute('aria-pressed', 'true');
    await expectPage(verdict).toContainText('ID token');
    // One token in a cookie line: read, and said, with nothing to choose.
    await page.getByLabel('Token').fill(`Set-Cookie: session=${await signed()}; Path=/; HttpOnly`);
    await expectPage(findings).toContainText('Read "session" from the paste; the text around it was not read.');
    await expectPage(tokens).toHaveCount(0);
    // Compare shows no findings, so each side says which token of its paste it read.
    await page.getByRole('button', { name: 'Compare two' }).click();
    await page.getByLabel('First token').fill(answer);
    await page.getByLabel('Second token').fill(idToken);
    await expectPage(page.getByTestId('first-verdict')).toContainText('Read "access_token", one of 3 tokens in the paste');
    await expectPage(page.getByTestId('second-verdict')).not.toContainText('from the paste');
    await expectPage(page.getByTestId('compare-status')).toContainText('differ');
    // Each side picks its own token: the answer's ID token against the same one pasted alone.
    const firstSide = page.getByRole('group', { name: 'Found in the paste' });
    await expectPage(firstSide).toHaveCount(1);
    await firstSide.getByRole('button', { name: 'id_token' }).click();
    await expectPage(page.getByTestId('first-verdict')).toContainText('Read "id_token", one of 3 tokens in the paste');
    await expectPage(page.getByTestId('compare-status')).toHaveText('Same header and claims.');
    await h.screenshot('inspector-14-token-response-compare');
  });

  it('finds a weak HMAC secret without being given one', async () => {
    const { page } = h;
    const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims())}`;
    const token = `${input}.${createHmac('sha256', 'secret').update(input).digest('base64url')}`;
    await page.getByLabel('Token').fill(token);
    await expectPage(page.getByTestId('verdict')).toContainText('Invalid');
    await expectPage(page.getByRole('list', { name: 'Findings' })).toContainText('WEAK_HMAC_SECRET');
    await h.screenshot('inspector-03-weak-secret');
  });

  it('calls a token forged with the issuer\'s public key, pasted as the HMAC secret, forged rather than valid', async () => {
    const { page } = h;
    const pem = rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims({ sub: 'admin' }))}`;
    await page.getByLabel('Token').fill(`${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`);
    await page.getByLabel('Key source').selectOption('hmac');
    await page.getByLabel('HMAC secret').fill(pem);
    await expectPage(page.getByTestId('verdict')).toContainText('Invalid');
    const findings = page.getByRole('list', { name: 'Findings' });
    await expectPage(findings).toContainText('KEY_CONFUSION');
    await expectPage(findings).toContainText('Forged: this HS256 token is signed with the public key used as an HMAC secret');
    await h.screenshot('inspector-09-public-key-as-secret');
  });

  it('checks a DPoP proof with the key it carries, calls it valid only with the client\'s key given, and refuses one another key signed', async () => {
    const { page } = h;
    const proofKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = await exportJWK(proofKey.publicKey);
    const proofBy = (signer: typeof proofKey.privateKey) =>
      new SignJWT({ jti: 'p-1', htm: 'POST', htu: 'https://api.example.com/orders', iat: now() }).setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk }).sign(signer);
    await page.getByLabel('Token').fill(await proofBy(proofKey.privateKey));
    const verdict = page.getByTestId('verdict');
    // Its own key verifies it, but anyone can sign with a key of their own: the thumbprint is what cnf.jkt must hold.
    const thumbprint = await calculateJwkThumbprint(jwk);
    await expectPage(verdict).toContainText('Unverifiable');
    await expectPage(verdict).toContainText('DPoP proof');
    await expectPage(verdict).toContainText(`A DPoP proof signed by the key the proof carries (EC, thumbprint ${thumbprint}), which shows only that its sender holds that key`);
    const findings = page.getByRole('list', { name: 'Findings' });
    await expectPage(findings).toContainText('A DPoP proof carries its public key in "jwk" by design');
    await expectPage(findings).not.toContainText('EXP_MISSING');
    await h.screenshot('inspector-10-dpop-proof');
    await page.getByLabel('Key source').selectOption('jwk');
    await page.getByLabel('JWK', { exact: true }).fill(JSON.stringify(jwk));
    await expectPage(verdict).toContainText('Valid DPoP proof: signed by the key you gave, which it carries');
    await expectPage(page.getByRole('region', { name: 'Signature' })).toContainText(`which the proof carries`);
    await h.screenshot('inspector-10-dpop-proof-client-key');
    await page.getByLabel('Token').fill(await proofBy(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey));
    await expectPage(verdict).toContainText('Invalid');
    await expectPage(findings).toContainText('The signature does not verify with the key the proof carries');
    await h.screenshot('inspector-10-dpop-proof-forged');
  });

  it('reads an SD-JWT presentation: the claims it discloses, each disclosure, and the holder\'s key binding; one the issuer did not sign refuses it', async () => {
    const { page } = h;
    const holder = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const digest = (text: string) => createHash('sha256').update(text).digest('base64url');
    const disclose = (...elements: unknown[]) => b64(elements);
    const given = disclose('bXq8-Pa3xvY2Rk7nQfJ4Vw', 'given_name', 'Erika');
    const email = disclose('Kd0q5Qm1tXo6Cw8sR2pYhA', 'email', 'erika@example.com');
    const nationality = disclose('4hT9mB2zLw7cVxNq1sPeGg', 'DE');
    const issued = await new SignJWT({ iss: 'https://issuer.example.com', iat: now() - 60, exp: now() + 3600, vct: 'https://credentials.example.com/identity_credential', _sd: [digest(given), digest(email), digest('decoy')], nationalities: [{ '...': digest(nationality) }], _sd_alg: 'sha-256', cnf: { jwk: await exportJWK(holder.publicKey) } })
      .setProtectedHeader({ alg: 'RS256', typ: 'dc+sd-jwt' })
      .sign(rsa.privateKey);
    const presented = `${issued}~${given}~${email}~${nationality}~`;
    const keyBinding = await new SignJWT({ aud: 'https://verifier.example.com', nonce: 'n-0S6_WzA2Mj', iat: now(), sd_hash: digest(presented) }).setProtectedHeader({ alg: 'ES256', typ: 'kb+jwt' }).sign(holder.privateKey);
    // As an OpenID4VP response carries it.
    await page.getByLabel('Token').fill(JSON.stringify({ vp_token: presented + keyBinding, state: 'af0ifjsldkj' }, null, 2));
    // Until the issuer's signature verifies, what its payload names (digests, the holder's key) is anyone's word.
    await expectPage(page.getByTestId('key-binding')).toContainText("the issuer's signature is not verified, so whose key that is, is not known");
    await expectPage(page.getByRole('region', { name: 'Disclosures' })).toContainText('matches an unverified digest');
    await page.getByLabel('Key source').selectOption('pem');
    await page.getByLabel('PEM public key or certificate').fill(rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString());
    const verdict = page.getByTestId('verdict');
    await expectPage(verdict).toContainText('SD-JWT (selective disclosure)');
    await expectPage(verdict).toContainText("Valid SD-JWT: the issuer's signature verifies with the key given, all 3 disclosures match what the issuer signed, the holder's key binding checks");
    const claimsPanel = page.getByRole('region', { name: 'Claims' });
    await expectPage(claimsPanel).toContainText('erika@example.com');
    // Which claims the holder disclosed, and which the issuer wrote plainly.
    await expectPage(claimsPanel.getByRole('row').filter({ hasText: 'erika@example.com' }).getByTestId('claim-note')).toHaveText('Disclosed by the holder (disclosure 2)');
    await expectPage(claimsPanel.getByRole('row').filter({ hasText: 'nationalities' }).getByTestId('claim-note')).toHaveText('Holds a member disclosed by the holder');
    await expectPage(claimsPanel.getByRole('row').filter({ hasText: 'issuer.example.com' }).getByTestId('claim-note')).toHaveCount(0);
    const disclosures = page.getByRole('region', { name: 'Disclosures' });
    await expectPage(disclosures.getByRole('row')).toHaveCount(4);
    await expectPage(disclosures).toContainText('payload.nationalities[0]');
    await expectPage(page.getByTestId('sd-summary')).toHaveText('3 disclosed; 1 digest withheld (claims the holder did not show, or decoys). Digests by sha-256.');
    await expectPage(page.getByTestId('key-binding')).toHaveText('Verified: signed by the holder key the issuer named, over this presentation');
    await expectPage(page.getByRole('region', { name: 'Key binding' })).toContainText('https://verifier.example.com');
    await h.screenshotContent('inspector-15-sd-jwt');

    // The same presentation from a form body logged with each ~ written %7E: read whole, and said so.
    await page.getByLabel('Token').fill(`POST /callback HTTP/1.1\n\nvp_token=${(presented + keyBinding).replaceAll('~', '%7E')}&state=af0ifjsldkj`);
    await expectPage(verdict).toContainText("Valid SD-JWT: the issuer's signature verifies with the key given, all 3 disclosures match what the issuer signed, the holder's key binding checks");
    await expectPage(page.getByTestId('key-binding')).toHaveText('Verified: signed by the holder key the issuer named, over this presentation');
    await expectPage(page.getByRole('list', { name: 'Findings' })).toContainText('SEPARATORS_ESCAPED');
    await expectPage(page.getByRole('list', { name: 'Findings' })).toContainText('Sent anywhere the value is not decoded so (a JSON body, an Authorization header), it is not this SD-JWT');
    await h.screenshotContent('inspector-15-sd-jwt-escaped');

    // An e-mail the issuer never signed, put in place of the real one: the whole presentation is refused.
    const forged = disclose('Kd0q5Qm1tXo6Cw8sR2pYhA', 'email', 'attacker@example.com');
    await page.getByLabel('Token').fill(`${issued}~${given}~${forged}~`);
    await expectPage(verdict).toContainText('Invalid: Disclosure 2 ("email") matches no digest the issuer signed');
    await expectPage(disclosures.getByRole('row').nth(2)).toContainText('not signed by the issuer');
    await expectPage(page.getByTestId('sd-summary')).toHaveText('1 disclosed, 1 rejected; 3 digests withheld (claims the holder did not show, or decoys). Digests by sha-256.');
    await expectPage(page.getByRole('region', { name: 'Claims' })).not.toContainText('attacker@example.com');
    await expectPage(page.getByRole('list', { name: 'Findings' })).toContainText('KEY_BINDING_MISSING');
    await h.screenshotContent('inspector-15-sd-jwt-forged');
    expect(h.pageErrors).toEqual([]);
  });

  it('pairs a DPoP proof with the access token it came with in Compare, and says when a stolen token comes with another key', async () => {
    const { page } = h;
    const client = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const thief = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jkt = await calculateJwkThumbprint(await exportJWK(client.publicKey));
    const token = await signed({ cnf: { jkt } });
    const proofBy = async (key: typeof client, forToken = token) =>
      new SignJWT({ jti: 'p-2', htm: 'GET', htu: 'https://api.example.com/orders', iat: now(), ath: createHash('sha256').update(forToken).digest('base64url') })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(key.publicKey) })
        .sign(key.privateKey);
    await page.getByRole('button', { name: 'Compare two' }).click();
    await page.getByLabel('First token').fill(await proofBy(client));
    await page.getByLabel('Second token').fill(`Authorization: DPoP ${token}`);
    const binding = page.getByRole('region', { name: 'DPoP binding' });
    await expectPage(page.getByTestId('dpop-binding')).toContainText('Bound: the proof was made for this access token');
    await expectPage(binding).toContainText(jkt);
    await h.screenshot('inspector-11-dpop-binding');
    // The token picked from a paste of two is the one paired, as its verdict read it.
    await page.getByLabel('Second token').fill(JSON.stringify({ id_token: await signed(), access_token: token }));
    await expectPage(page.getByTestId('dpop-binding')).toContainText('Not bound: the proof was made for another access token');
    await page.getByRole('group', { name: 'Found in the paste' }).getByRole('button', { name: 'access_token' }).click();
    await expectPage(page.getByTestId('dpop-binding')).toContainText('Bound: the proof was made for this access token');
    await h.screenshot('inspector-11-dpop-binding-picked');
    await page.getByLabel('Second token').fill(`Authorization: DPoP ${token}`);
    await page.getByLabel('First token').fill(await proofBy(thief));
    await expectPage(page.getByTestId('dpop-binding')).toContainText(`Not bound: the access token is bound to the key with thumbprint "${jkt}"`);
    await h.screenshot('inspector-11-dpop-binding-stolen');
    // An opaque token (Google's, with a dot) may be bound to anything: only its issuer can say.
    const opaque = `ya29.a0AfB_byC${'x7Kp2Lq9Zr'.repeat(8)}`;
    await page.getByLabel('Second token').fill(opaque);
    await page.getByLabel('First token').fill(await proofBy(client, opaque));
    await expectPage(page.getByTestId('second-verdict')).toContainText('Google OAuth access token');
    await expectPage(page.getByTestId('dpop-binding')).toContainText('Cannot tell');
    await expectPage(binding).toContainText('by introspection (RFC 9449 §6.2)');
    await h.screenshot('inspector-11-dpop-binding-opaque');
    // Two access tokens are no pair: no binding is shown.
    await page.getByLabel('First token').fill(await signed());
    await expectPage(page.getByTestId('first-verdict')).not.toContainText('DPoP');
    await expectPage(binding).toHaveCount(0);
  });

  it('verifies each compared token with its own key, the client\'s for the proof and the issuer\'s for the token, and pairs them as checked', async () => {
    const { page } = h;
    const client = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const thief = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const clientJwk = await exportJWK(client.publicKey);
    const token = await signed({ cnf: { jkt: await calculateJwkThumbprint(clientJwk) } });
    const proof = await new SignJWT({ jti: 'p-3', htm: 'GET', htu: 'https://api.example.com/orders', iat: now(), ath: createHash('sha256').update(token).digest('base64url') })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: clientJwk })
      .sign(client.privateKey);
    await page.getByRole('button', { name: 'Compare two' }).click();
    await page.getByLabel('First token').fill(proof);
    await page.getByLabel('Second token').fill(token);
    const firstKey = page.getByRole('group', { name: 'Verify the first with' });
    const secondKey = page.getByRole('group', { name: 'Verify the second with' });
    await firstKey.getByLabel('Key source').selectOption('jwk');
    await firstKey.getByLabel('JWK', { exact: true }).fill(JSON.stringify(clientJwk));
    await secondKey.getByLabel('Key source').selectOption('jwks');
    await secondKey.getByLabel('JWKS (key set)').fill(JSON.stringify({ keys: [{ ...(await exportJWK(rsa.publicKey)), kid: 'k1' }] }));
    await expectPage(page.getByTestId('first-verdict')).toContainText('Valid DPoP proof: signed by the key you gave');
    await expectPage(page.getByTestId('second-verdict')).toContainText('Valid');
    await expectPage(page.getByTestId('dpop-binding')).toContainText('Bound, and each is valid with the key you gave it');
    await h.screenshot('inspector-13-compare-with-keys');
    // The client's key given, the proof another key carries: the proof is refused, and so is the pair.
    await firstKey.getByLabel('JWK', { exact: true }).fill(JSON.stringify(await exportJWK(thief.publicKey)));
    await expectPage(page.getByTestId('first-verdict')).toContainText('Invalid');
    await expectPage(page.getByTestId('dpop-binding')).toContainText('Not bound: the proof itself is refused');
    await h.screenshot('inspector-13-compare-with-keys-wrong-client');
  });

  it('asks the pairing again when a side\'s verdict changes with the clock alone, so Bound never stands beside a stale proof', async () => {
    const { page } = h;
    const client = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const clientJwk = await exportJWK(client.publicKey);
    const token = await signed({ cnf: { jkt: await calculateJwkThumbprint(clientJwk) } });
    await page.getByRole('button', { name: 'Compare two' }).click();
    const firstKey = page.getByRole('group', { name: 'Verify the first with' });
    await firstKey.getByLabel('Key source').selectOption('jwk');
    await firstKey.getByLabel('JWK', { exact: true }).fill(JSON.stringify(clientJwk));
    const secondKey = page.getByRole('group', { name: 'Verify the second with' });
    await secondKey.getByLabel('Key source').selectOption('jwks');
    await secondKey.getByLabel('JWKS (key set)').fill(JSON.stringify({ keys: [{ ...(await exportJWK(rsa.publicKey)), kid: 'k1' }] }));
    await page.getByLabel('Second token').fill(token);
    // Made 5 min 55 s ago: within the 5-minute window and the 60 s clock tolerance for 5 s more.
    const proof = await new SignJWT({ jti: 'p-4', htm: 'GET', htu: 'https://api.example.com/orders', iat: now() - 355, ath: createHash('sha256').update(token).digest('base64url') })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: clientJwk })
      .sign(client.privateKey);
    await page.getByLabel('First token').fill(proof);
    await expectPage(page.getByTestId('dpop-binding')).toContainText('Bound, and each is valid with the key you gave it');
    // No keystroke: the proof's own verdict turns at the end of the tolerance, and the pairing follows it.
    await expectPage(page.getByTestId('first-verdict')).toContainText('Invalid', { timeout: 10_000 });
    await expectPage(page.getByTestId('dpop-binding')).toContainText('Not bound: the proof itself is refused');
  });

  it('says how many claims past the first 500 it does not show', async () => {
    const { page } = h;
    await page.getByLabel('Token').fill(await signed(Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`c${i}`, i]))));
    await expectPage(page.getByTestId('verdict')).toContainText('Unverifiable');
    await expectPage(page.getByRole('region', { name: 'Claims' }).getByRole('row')).toHaveCount(500);
    await expectPage(page.getByTestId('more-claims')).toHaveText('106 more claims are not shown: no real token has over 500.');
    await page.getByTestId('more-claims').scrollIntoViewIfNeeded();
    await h.screenshot('inspector-08-more-claims');
  });

  it('compares two tokens claim by claim', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 'Compare two' }).click();
    await page.getByLabel('First token').fill(await signed({ scope: 'read' }));
    await page.getByLabel('Second token').fill(await signed({ scope: 'read write admin', tenant: 'globex' }));
    const table = page.getByRole('table', { name: 'Comparison' });
    await expectPage(table.locator('tr[data-differs="true"]').filter({ hasText: 'scope' })).toContainText('read write admin');
    await expectPage(table.locator('tr[data-differs="true"]').filter({ hasText: 'tenant' })).toContainText('absent');
    await expectPage(table.locator('tr[data-differs="false"]').filter({ hasText: 'iss' })).toHaveCount(1);
    // Each side says what it is: unverifiable here, as no key is given.
    await expectPage(page.getByTestId('first-verdict')).toContainText('Unverifiable');
    await expectPage(page.getByTestId('second-verdict')).toContainText('Unverifiable');
    await h.screenshot('inspector-04-compare');

    // Members in another order are the same value; integers past 2^53 are compared as written.
    const time = `"iat":${now() - 60},"exp":${now() + 3600}`;
    await page.getByLabel('First token').fill(rawToken(`{"sub":"u1",${time},"acct":12345678901234567890,"resource_access":{"web":{"roles":["a"]},"api":{"roles":["b"]}}}`));
    await page.getByLabel('Second token').fill(rawToken(`{"sub":"u1",${time},"acct":12345678901234567891,"resource_access":{"api":{"roles":["b"]},"web":{"roles":["a"]}}}`));
    await expectPage(table.locator('tr[data-differs="true"]').filter({ hasText: 'acct' })).toContainText('12345678901234567890');
    await expectPage(table.locator('tr[data-differs="true"]').filter({ hasText: 'acct' })).toContainText('12345678901234567891');
    await expectPage(table.locator('tr[data-differs="false"]').filter({ hasText: 'resource_access' })).toHaveCount(1);
    await expectPage(page.getByTestId('compare-status')).toHaveText('1 of 8 header fields and claims differ.');

    // A side that does not decode says so; its claims are not read, rather than absent.
    const broken = rawToken('{"sub":"u1"').replace(/\.([^.]*)\./, '.e30x.');
    await page.getByLabel('Second token').fill(broken);
    await expectPage(page.getByTestId('second-verdict')).toContainText('Unparseable');
    await expectPage(page.getByTestId('compare-status')).toHaveText(/^Cannot compare claims: the second token's could not be read/);
    await expectPage(table.locator('tr').filter({ hasText: 'acct' })).toContainText('not read');
    await h.screenshot('inspector-07-compare-unreadable');
    // One token alone is not a comparison: no count of differences, and no table.
    await page.getByLabel('First token').fill('');
    await expectPage(page.getByTestId('second-verdict')).toContainText('Unparseable');
    await expectPage(page.getByTestId('compare-status')).toHaveCount(0);
    await expectPage(table).toHaveCount(0);
  });
});
