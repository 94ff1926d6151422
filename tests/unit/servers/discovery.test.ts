import { describe, expect, it } from 'vitest';
import { discover, endpointUrlProblem, oauthMetadataUrl, openIdConfigurationUrl, validateMetadata } from '../../../electron/core/servers/discovery';
import { introspectToken } from '../../../electron/core/servers/introspection';
import { revokeToken } from '../../../electron/core/servers/revocation';
import { fakeHttp } from './fake-http';

const ISSUER = 'https://id.example.com/realms/ops';

function metadata(overrides: Record<string, unknown> = {}) {
  return {
    issuer: ISSUER,
    token_endpoint: `${ISSUER}/protocol/openid-connect/token`,
    jwks_uri: `${ISSUER}/protocol/openid-connect/certs`,
    introspection_endpoint: `${ISSUER}/protocol/openid-connect/token/introspect`,
    revocation_endpoint: `${ISSUER}/protocol/openid-connect/revoke`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt'],
    ...overrides,
  };
}

describe('discovery URLs', () => {
  it('appends the OpenID path to the issuer, trailing "/" removed (OIDC Discovery §4.1)', () => {
    expect(openIdConfigurationUrl('https://id.example.com')).toBe('https://id.example.com/.well-known/openid-configuration');
    expect(openIdConfigurationUrl('https://id.example.com/')).toBe('https://id.example.com/.well-known/openid-configuration');
    expect(openIdConfigurationUrl(ISSUER)).toBe(`${ISSUER}/.well-known/openid-configuration`);
  });

  it('inserts the RFC 8414 path between host and issuer path (RFC 8414 §3.1)', () => {
    expect(oauthMetadataUrl('https://id.example.com')).toBe('https://id.example.com/.well-known/oauth-authorization-server');
    expect(oauthMetadataUrl('https://id.example.com/')).toBe('https://id.example.com/.well-known/oauth-authorization-server');
    expect(oauthMetadataUrl(ISSUER)).toBe('https://id.example.com/.well-known/oauth-authorization-server/realms/ops');
    expect(oauthMetadataUrl('https://id.example.com:8443/tenant/a/')).toBe('https://id.example.com:8443/.well-known/oauth-authorization-server/tenant/a');
  });

  it('allows plain http only to this machine', () => {
    for (const ok of ['https://id.example.com/x', 'http://127.0.0.1:8080/realms/lab', 'http://localhost:3000', 'http://[::1]:9000/']) expect(endpointUrlProblem(ok), ok).toBeNull();
    for (const bad of ['http://id.example.com/token', 'http://127.0.0.2/token', 'ftp://id.example.com', 'https://user:pw@id.example.com/t', 'https://id.example.com/t#frag', 'not a url']) {
      expect(endpointUrlProblem(bad), bad).not.toBeNull();
    }
  });
});

describe('validateMetadata', () => {
  it('keeps the known members and every unknown one', () => {
    const out = validateMetadata(metadata({ end_session_endpoint: `${ISSUER}/logout`, 'x-vendor': { a: 1 } }), ISSUER, 'the metadata');
    expect(out.token_endpoint).toBe(`${ISSUER}/protocol/openid-connect/token`);
    expect(out.end_session_endpoint).toBe(`${ISSUER}/logout`);
    expect(out['x-vendor']).toEqual({ a: 1 });
  });

  it('refuses an endpoint that would send credentials over plain http, naming the member', () => {
    expect(() => validateMetadata(metadata({ token_endpoint: 'http://id.example.com/token' }), ISSUER, 'here')).toThrow(
      expect.objectContaining({ code: 'SERVER_BAD_RESPONSE', message: expect.stringMatching(/"token_endpoint" must be an https URL/) }),
    );
  });

  it('refuses a missing issuer, a list that is not a list, and a document that is not an object', () => {
    const { issuer: _issuer, ...noIssuer } = metadata();
    expect(() => validateMetadata(noIssuer, ISSUER, 'here')).toThrow(expect.objectContaining({ message: expect.stringContaining('"issuer" is missing') }));
    expect(() => validateMetadata(metadata({ token_endpoint_auth_methods_supported: 'client_secret_basic' }), ISSUER, 'here')).toThrow(
      expect.objectContaining({ message: expect.stringContaining('token_endpoint_auth_methods_supported') }),
    );
    expect(() => validateMetadata([], ISSUER, 'here')).toThrow(expect.objectContaining({ code: 'SERVER_BAD_RESPONSE' }));
  });

  it('requires the issuer to match exactly, trailing slash included, naming both', () => {
    for (const other of [`${ISSUER}/`, 'https://ID.example.com/realms/ops', 'https://evil.example.com/realms/ops']) {
      expect(() => validateMetadata(metadata({ issuer: other }), ISSUER, 'here')).toThrow(
        expect.objectContaining({ code: 'SERVER_ISSUER_MISMATCH', message: expect.stringContaining(`"${other}"`) }),
      );
    }
    expect(() => validateMetadata(metadata({ issuer: 'https://evil.example.com' }), ISSUER, 'here')).toThrow(expect.objectContaining({ message: expect.stringContaining(`"${ISSUER}"`) }));
  });
});

describe('discover', () => {
  it('uses the OpenID configuration when it is there', async () => {
    const http = fakeHttp(() => ({ status: 200, body: metadata() }));
    const found = await discover(http, ISSUER);
    expect(found.source).toBe('openid-configuration');
    expect(http.requests.map((r) => r.url)).toEqual([`${ISSUER}/.well-known/openid-configuration`]);
  });

  it('falls back to RFC 8414 metadata on a 404 or a page that is not JSON', async () => {
    for (const first of [{ status: 404 }, { status: 200, body: '<html>portal</html>', headers: { 'content-type': 'text/html' } }]) {
      const http = fakeHttp((req) => (req.url.includes('openid-configuration') ? first : { status: 200, body: metadata() }));
      const found = await discover(http, ISSUER);
      expect(found.source).toBe('oauth-authorization-server');
      expect(http.requests[1].url).toBe('https://id.example.com/.well-known/oauth-authorization-server/realms/ops');
    }
  });

  it('does not fall back over an issuer mismatch, an error status or bad metadata', async () => {
    const cases: [unknown, string][] = [
      [{ status: 200, body: metadata({ issuer: 'https://other.example.com' }) }, 'SERVER_ISSUER_MISMATCH'],
      [{ status: 503, headers: { 'retry-after': '5' } }, 'SERVER_UNAVAILABLE'],
      [{ status: 200, body: metadata({ jwks_uri: 'http://id.example.com/certs' }) }, 'SERVER_BAD_RESPONSE'],
    ];
    for (const [reply, code] of cases) {
      const http = fakeHttp(() => reply as never);
      await expect(discover(http, ISSUER)).rejects.toMatchObject({ code });
      expect(http.requests).toHaveLength(1);
    }
  });

  it('says the issuer URL is probably wrong when neither document exists, and what came back when both are HTML', async () => {
    await expect(discover(fakeHttp(() => ({ status: 404 })), ISSUER)).rejects.toMatchObject({ code: 'SERVER_ERROR', message: expect.stringContaining('Check the issuer URL') });
    const html = fakeHttp(() => ({ status: 200, body: '<!doctype html>', headers: { 'content-type': 'text/html' } }));
    await expect(discover(html, ISSUER)).rejects.toMatchObject({ code: 'SERVER_NOT_JSON', message: expect.stringContaining('an HTML page') });
  });

  it('refuses to start from an issuer that is not an https URL without query', async () => {
    for (const bad of ['http://id.example.com', 'https://id.example.com/?tenant=a', 'id.example.com']) {
      const http = fakeHttp(() => ({ status: 200, body: metadata() }));
      await expect(discover(http, bad)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(http.requests).toHaveLength(0);
    }
  });
});

describe('endpoints from stored metadata', () => {
  it('say plainly when the server has no such endpoint, and never call one that is not https', async () => {
    const http = fakeHttp(() => ({ status: 200, body: {} }));
    const auth = { method: 'client_secret_post', clientId: 'c', clientSecret: 'secret-value' } as const;
    expect(await revokeToken({ http, metadata: { issuer: ISSUER }, auth }, 'tok')).toMatchObject({ kind: 'failed', code: 'SERVER_UNSUPPORTED', message: expect.stringContaining('revocation_endpoint') });
    await expect(introspectToken({ http, metadata: { issuer: ISSUER }, auth }, 'tok')).rejects.toMatchObject({ code: 'SERVER_UNSUPPORTED' });
    const plain = { issuer: ISSUER, revocation_endpoint: 'http://id.example.com/revoke', introspection_endpoint: 'http://id.example.com/introspect' };
    expect(await revokeToken({ http, metadata: plain, auth }, 'tok')).toMatchObject({ kind: 'failed', code: 'SERVER_BAD_RESPONSE' });
    await expect(introspectToken({ http, metadata: plain, auth }, 'tok')).rejects.toMatchObject({ code: 'SERVER_BAD_RESPONSE' });
    expect(http.requests).toHaveLength(0);
  });
});
