/**
 * The admin bearer token: one token request for concurrent callers, reuse until shortly before
 * expiry (a short default when the server gives no expires_in), only Bearer tokens, and a token
 * asked for before forget() is handed to its caller but not kept.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdminTokenSource } from '../../../electron/core/servers/keycloak/admin-token';
import { startRecorder, type Recorder } from './recording-server';

let kc: Recorder;
let now: number;
let tokens: AdminTokenSource;

beforeEach(async () => {
  kc = await startRecorder();
  now = 5_000_000;
  tokens = new AdminTokenSource(kc.connection(), { now: () => now });
});
afterEach(() => kc.close());

describe('AdminTokenSource', () => {
  it('shares one token request among concurrent callers', async () => {
    expect(await Promise.all([tokens.token(), tokens.token(), tokens.token()])).toEqual(['admin-token-1', 'admin-token-1', 'admin-token-1']);
    expect(kc.tokenRequests).toBe(1);
  });

  it('keeps a token for at most 30 s less than its lifetime', async () => {
    kc.tokenLifetime = 3600;
    await tokens.token();
    now += 3_569_000;
    expect(await tokens.token()).toBe('admin-token-1');
    now += 2_000;
    expect(await tokens.token()).toBe('admin-token-2');
  });

  it('without expires_in, keeps a token for under a minute', async () => {
    kc.tokenLifetime = null;
    await tokens.token();
    now += 53_000;
    expect(await tokens.token()).toBe('admin-token-1');
    now += 2_000;
    expect(await tokens.token()).toBe('admin-token-2');
  });

  it('refused() drops only the token that was refused', async () => {
    await tokens.token();
    tokens.refused('some-older-token');
    expect(await tokens.token()).toBe('admin-token-1');
    tokens.refused('admin-token-1');
    expect(await tokens.token()).toBe('admin-token-2');
  });

  it('a token requested before forget() is not kept', async () => {
    const early = tokens.token();
    tokens.forget();
    expect(await early).toBe('admin-token-1');
    expect(await tokens.token()).toBe('admin-token-2');
    expect(await tokens.token()).toBe('admin-token-2');
  });

  it('refuses a token that is not a Bearer token', async () => {
    kc.tokenType = 'DPoP';
    await expect(tokens.token()).rejects.toMatchObject({ code: 'SERVER_UNSUPPORTED', message: expect.stringMatching(/type "DPoP".*takes a Bearer token/) });
  });
});
