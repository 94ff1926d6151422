import { describe, expect, it } from 'vitest';
import { registerIpc } from '../../electron/ipc';
import { createRouter } from '../../electron/core/router';
import { createCore } from '../../electron/core/core';
import { createTestPlatform } from '../support/test-platform';

function registered() {
  const platform = createTestPlatform();
  const core = createCore({ platform, calibrateKdf: false });
  const handlers = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();
  const refused: string[] = [];
  registerIpc({ handle: (channel: string, handler: never) => handlers.set(channel, handler) } as never, core.router, (m) => refused.push(m));
  return { handlers, refused, done: () => (core.dispose(), platform.cleanup()) };
}

describe('IPC door', () => {
  it('answers our own app:// main frame through the contract', async () => {
    const { handlers, done } = registered();
    const answer = await handlers.get('vault:status')!({ senderFrame: { url: 'app://credops/index.html', parent: null } }, {});
    expect(answer).toMatchObject({ ok: true, value: { state: 'absent' } });
    expect(await handlers.get('vault:status')!({ senderFrame: { url: 'app://credops/index.html', parent: null } }, { x: 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    done();
  });

  it.each([
    ['another origin', { url: 'https://evil.example/', parent: null }],
    ['a file URL', { url: 'file:///tmp/index.html', parent: null }],
    ['a subframe of our page', { url: 'app://credops/index.html', parent: {} }],
    ['a lookalike host', { url: 'app://credops.evil/index.html', parent: null }],
    ['no frame at all', null],
  ])('refuses %s before parsing anything', async (_what, senderFrame) => {
    const { handlers, refused, done } = registered();
    expect(await handlers.get('vault:status')!({ senderFrame }, {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(refused).toHaveLength(1);
    done();
  });

  it('turns a handler whose answer breaks the contract into INTERNAL, sending nothing of it', async () => {
    const logged: string[] = [];
    const router = createRouter({ 'vault:status': () => ({ state: 'absent', leaked: 'sk_live_123' }) } as never, { log: (m) => logged.push(m) });
    const result = await router.invoke('vault:status', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('sk_live_123');
    expect(logged[0]).toMatch(/outside the contract/);
  });

  it('turns an unexpected exception into INTERNAL without its message', async () => {
    const router = createRouter({ 'vault:status': () => { throw new Error('db key 0xdeadbeef'); } } as never, { log: () => undefined });
    const result = await router.invoke('vault:status', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('deadbeef');
  });
});
