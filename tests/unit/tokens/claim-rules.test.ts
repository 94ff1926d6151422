/**
 * Claims read as an OAuth or OIDC expert reads them: a claim named twice however it is spelled,
 * the kind of token from the markers real issuers use, what a logout token must and must not
 * carry, times no instant satisfies or written in milliseconds, and attacker text quoted, cut and
 * escaped in findings. DPoP proofs have their own file.
 */
import { describe, expect, it } from 'vitest';
import { b64, claims, codes, finding, handMade, hmacWith, inspect, now } from '../../support/hand-made-tokens';

const secret = Buffer.alloc(32, 7);
const hmac = { kind: 'hmac', secret: secret.toString('base64'), encoding: 'base64' } as const;
/** A token whose payload is exactly this text (escapes and repeats kept), signed with `secret`. */
const raw = (payload: string, header = '{"alg":"HS256"}') => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${hmacWith(secret)(input).toString('base64url')}`;
};
const signedWith = (header: Record<string, unknown>, payload: Record<string, unknown>) => handMade({ alg: 'HS256', ...header }, payload, hmacWith(secret));

describe('a claim named twice, however it is spelled', () => {
  it('refuses an issuer repeated under a \\u escape, which JSON.parse would read as the last copy', async () => {
    const result = await inspect(raw(`{"iss":"https://evil.example","i\\u0073s":"https://auth.example.com","sub":"u","exp":${now + 600}}`), hmac, { issuer: 'https://auth.example.com' });
    expect(result.verdict).toBe('unparseable');
    expect(result.summary).toContain('names "iss" twice (however its escapes spell it)');
  });

  it('refuses a header whose alg is repeated under an escape', async () => {
    const result = await inspect(raw(JSON.stringify(claims()), '{"alg":"none","\\u0061lg":"HS256"}'), hmac);
    expect(result.verdict).toBe('unparseable');
    expect(result.summary).toContain('names "alg" twice');
  });
});

describe('the kind of token', () => {
  const kindOf = async (payload: Record<string, unknown>, header: Record<string, unknown> = {}) => (await inspect(signedWith(header, payload), hmac)).kind;
  const base = { iss: 'https://login.microsoftonline.com/t/v2.0', sub: 's', aud: 'api://x', iat: now - 60, exp: now + 600 };

  it.each([
    ['an Entra v2 delegated token (azp, scp)', { ...base, azp: 'c1', scp: 'read' }],
    ['an Entra v2 app-only token (azp, roles, idtyp)', { ...base, azp: 'c1', roles: ['Reader'], idtyp: 'app' }],
    ['an Entra v1 token (acr, amr, appid, scp)', { ...base, acr: '1', amr: ['pwd'], appid: 'c1', scp: 'read' }],
    ['an Auth0 client-credentials token (azp, gty)', { ...base, azp: 'c1', gty: 'client-credentials' }],
  ])('calls %s an access token, not an ID token', async (_name, payload) => {
    expect(await kindOf(payload)).toBe('access_token');
  });

  it('calls tokens with a nonce or an auth_time and no sign of an API, at_hash, or Keycloak\'s typ ID, ID tokens', async () => {
    expect(await kindOf({ ...base, nonce: 'n' })).toBe('id_token');
    expect(await kindOf({ ...base, at_hash: 'h', scope: 'openid' })).toBe('id_token');
    expect(await kindOf({ ...base, typ: 'ID', azp: 'web', scope: 'openid' })).toBe('id_token');
    expect(await kindOf({ ...base, auth_time: now - 100 })).toBe('id_token');
  });

  it('calls a Keycloak access token carrying a nonce (before 25, or with its compatibility mapper) an access token', async () => {
    expect(await kindOf({ ...base, typ: 'Bearer', nonce: 'n', azp: 'web', scope: 'openid profile' })).toBe('access_token');
  });

  it('calls Keycloak\'s refresh and offline tokens refresh tokens, although they carry scope', async () => {
    expect(await kindOf({ ...base, typ: 'Refresh', scope: 'openid' })).toBe('refresh_token');
    expect(await kindOf({ ...base, typ: 'Offline', scope: 'openid offline_access' })).toBe('refresh_token');
  });
});

describe('what a logout token must be (Back-Channel Logout 1.0 §2.4, §2.6)', () => {
  const logout = { iss: 'https://auth.example.com', aud: 'web', iat: now - 5, jti: 'j', events: { 'http://schemas.openid.net/event/backchannel-logout': {} }, sid: 's-1' };

  it('accepts one that names its session and carries the event', async () => {
    const result = await inspect(signedWith({ typ: 'logout+jwt' }, { ...logout, exp: now + 120 }), hmac);
    expect(result).toMatchObject({ verdict: 'valid', kind: 'logout_token' });
  });

  it.each([
    ['carries a nonce', { ...logout, exp: now + 120, nonce: 'n' }, /must not carry "nonce"/],
    ['names neither session nor user', { ...logout, exp: now + 120, sid: undefined }, /must name the session \("sid"\) or the user \("sub"\)/],
    ['lacks the logout event', { ...logout, exp: now + 120, events: {} }, /must carry "events" with the member/],
  ])('refuses one that %s', async (_what, payload, message) => {
    const result = await inspect(signedWith({ typ: 'logout+jwt' }, JSON.parse(JSON.stringify(payload)) as Record<string, unknown>), hmac);
    expect(result.verdict).toBe('invalid');
    expect(result.findings.map((f) => f.message).join(' ')).toMatch(message);
  });
});

describe('the client an ID token was issued to (OIDC Core §3.1.3.7)', () => {
  const idToken = { iss: 'https://auth.example.com', sub: 'u-1', iat: now - 5, exp: now + 600, nonce: 'n-1' };
  const at = (payload: Record<string, unknown>, policy: { audiences: string[] } | null = { audiences: ['web'] }) => inspect(signedWith({}, { ...idToken, ...payload }), hmac, policy);

  it('accepts one whose azp is the client, with one audience or several', async () => {
    expect(await at({ aud: 'web' })).toMatchObject({ verdict: 'valid', kind: 'id_token', findings: [] });
    expect(await at({ aud: ['web', 'admin-console'], azp: 'web' })).toMatchObject({ verdict: 'valid', findings: [] });
    expect(await at({ aud: 'web', azp: 'web' })).toMatchObject({ verdict: 'valid', findings: [] });
  });

  it('refuses one issued to another client that lists this one among its audiences', async () => {
    const result = await at({ aud: ['web', 'admin-console'], azp: 'admin-console' });
    expect(result.verdict).toBe('invalid');
    expect(finding(result, 'AUDIENCE_MISMATCH')).toMatchObject({ severity: 'high', where: 'payload.azp', message: expect.stringMatching(/^Issued to the client "admin-console" \("azp"\), not to "web"/) });
  });

  it('warns of several audiences with no azp, with a policy or without', async () => {
    for (const policy of [{ audiences: ['web'] }, null]) {
      const result = await at({ aud: ['web', 'admin-console'] }, policy);
      expect(codes(result)).toEqual(['CLAIM_MISSING']);
      expect(finding(result, 'CLAIM_MISSING')).toMatchObject({ severity: 'medium', where: 'payload.azp' });
      // A SHOULD of the spec: said, not a reason to refuse.
      expect(result.verdict).toBe('valid');
    }
    expect(codes(await at({ aud: ['web'] }))).toEqual([]);
  });

  it('says an azp that is no string is malformed, and leaves access tokens\' azp alone', async () => {
    expect(finding(await at({ aud: 'web', azp: ['web'] }), 'MALFORMED')).toMatchObject({ where: 'payload.azp' });
    // Keycloak and Entra access tokens name the client that asked for them, not the API they are for.
    expect(await inspect(signedWith({ typ: 'at+jwt' }, { iss: 'https://auth.example.com', sub: 'u-1', aud: ['orders-api', 'billing-api'], azp: 'web', exp: now + 600, scope: 'read' }), hmac, { audiences: ['orders-api'] })).toMatchObject({ verdict: 'valid', kind: 'access_token', findings: [] });
  });
});

describe('times', () => {
  it('calls a token valid at no instant invalid, whatever the tolerance', async () => {
    const never = await inspect(signedWith({}, claims({ nbf: now + 30, exp: now - 10 })), hmac, { clockToleranceSeconds: 120 });
    expect(never.verdict).toBe('invalid');
    expect(finding(never, 'MALFORMED')?.message).toMatch(/^Valid at no instant/);
    const backwards = await inspect(signedWith({}, claims({ iat: now + 30, exp: now + 20 })), hmac, { clockToleranceSeconds: 120 });
    expect(finding(backwards, 'MALFORMED')?.message).toMatch(/after it expired/);
  });

  it('says an exp or iat written in milliseconds is, and what it meant', async () => {
    const msExp = await inspect(signedWith({}, claims({ exp: (now + 600) * 1000 })), hmac);
    expect(finding(msExp, 'MALFORMED')).toMatchObject({ severity: 'high', message: expect.stringContaining('written in milliseconds, not seconds (meant 2026-11-23 12:10:00 UTC)') });
    const msIat = await inspect(signedWith({}, claims({ iat: (now - 60) * 1000 })), hmac);
    expect(finding(msIat, 'ISSUED_IN_FUTURE')?.message).toContain('written in milliseconds, not seconds (meant 2026-11-23 11:59:00 UTC)');
  });

  it('does not take a "never expires" exp at the end of year 9999 for milliseconds', async () => {
    const result = await inspect(signedWith({}, claims({ exp: 253402300799 })), hmac);
    expect(result.verdict).toBe('valid');
    expect(codes(result)).not.toContain('MALFORMED');
  });

  it('says the seconds when a lifetime and the limit round to the same minutes', async () => {
    const result = await inspect(signedWith({}, claims({ iat: now - 60, exp: now - 60 + 3601 })), hmac, { maxLifetimeSeconds: 3600 });
    expect(finding(result, 'LIFETIME_TOO_LONG')?.message).toBe("Lives 3601 s, longer than the policy's 3600 s.");
  });
});

describe('attacker text in policy findings', () => {
  it('quotes an issuer cut short and escaped, so it cannot grow the answer or rearrange the sentence', async () => {
    const result = await inspect(signedWith({}, claims({ iss: `https://auth.example.com\u202E${'x'.repeat(240_000)}` })), hmac, { issuer: 'https://auth.example.com' });
    const message = finding(result, 'ISSUER_MISMATCH')!.message;
    expect(message.length).toBeLessThan(400);
    expect(message).toContain('"https://auth.example.com\\u202exxx');
    expect(message).not.toContain('\u202E');
  });

  it('names an issuer that is not a string as such, and shows at most five audiences', async () => {
    const iss = await inspect(signedWith({}, claims({ iss: ['https://auth.example.com'] })), hmac, { issuer: 'https://auth.example.com' });
    expect(finding(iss, 'ISSUER_MISMATCH')?.message).toMatch(/^Issued by an "iss" that is not a string/);
    const aud = await inspect(signedWith({}, claims({ aud: Array.from({ length: 5_000 }, (_, i) => `svc-${i}`) })), hmac, { audiences: ['api'] });
    expect(finding(aud, 'AUDIENCE_MISMATCH')?.message).toMatch(/^Meant for "svc-0", "svc-1", "svc-2", "svc-3", "svc-4" and 4995 more, not for "api"/);
  });
});
