import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core';
import { createPreloadApi } from '../../electron/preload-api';
import { channelNames, contract, eventNames } from '../../shared/contract';
import { createTestPlatform } from '../support/test-platform';

function preloadSurface(): { api: ReturnType<typeof createPreloadApi>; invoked: [string, unknown][] } {
  const invoked: [string, unknown][] = [];
  const api = createPreloadApi({
    invoke: async (channel: string, input: unknown) => {
      invoked.push([channel, input]);
      return { ok: true, value: null };
    },
    on: () => undefined as never,
    removeListener: () => undefined as never,
  } as never);
  return { api, invoked };
}

describe('contract, handlers and preload agree', () => {
  it('registers a handler for every channel in the contract and no other', () => {
    const platform = createTestPlatform();
    const core = createCore({ platform, calibrateKdf: false });
    try {
      expect([...core.router.channels].sort()).toEqual([...channelNames].sort());
    } finally {
      core.dispose();
      platform.cleanup();
    }
  });

  it('exposes exactly one named preload method per channel and event, and nothing else', () => {
    const { api } = preloadSurface();
    const surface = Object.entries(api).flatMap(([domain, methods]) => Object.keys(methods).map((method) => `${domain}.${method}`));
    const expected = [
      ...channelNames.map((channel) => channel.replace(':', '.')),
      ...eventNames.map((event) => {
        const [domain, name] = event.split(':');
        return `${domain}.on${name[0].toUpperCase()}${name.slice(1)}`;
      }),
    ];
    expect(surface.sort()).toEqual(expected.sort());
    expect(Object.isFrozen(api) && Object.values(api).every(Object.isFrozen)).toBe(true);
  });

  it('sends each preload method on its own channel', async () => {
    const { api, invoked } = preloadSurface();
    await api.vault.unlock({ passphrase: 'x' });
    await api.audit.list();
    expect(invoked).toEqual([
      ['vault:unlock', { passphrase: 'x' }],
      ['audit:list', {}],
    ]);
  });

  it('declares every input schema strict, so unknown fields are refused', () => {
    for (const [channel, spec] of Object.entries(contract)) {
      const probe = spec.input.safeParse({ unexpected: true });
      expect(probe.success, channel).toBe(false);
    }
  });
});

describe('router', () => {
  const platform = createTestPlatform();
  const core = createCore({ platform, calibrateKdf: false, log: () => undefined });
  afterAll(() => {
    core.dispose();
    platform.cleanup();
  });

  it('refuses an unknown channel and malformed input with stable codes', async () => {
    expect(await core.router.invoke('vault:format', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(await core.router.invoke('vault:unlock', 'hunter2')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await core.router.invoke('vault:unlock', { passphrase: 42 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('never echoes an input value in its error, since inputs carry passphrases', async () => {
    const secret = 'my-secret-passphrase-value';
    const results = [
      await core.router.invoke('vault:unlock', { passphrase: secret, extra: secret }),
      await core.router.invoke('vault:create', { path: 'relative/' + secret, passphrase: secret.repeat(100) }),
      await core.router.invoke('vault:unlock', { passphrase: secret }),
    ];
    for (const result of results) {
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).not.toContain(secret);
    }
  });
});
