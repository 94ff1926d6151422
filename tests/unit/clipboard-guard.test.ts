import { describe, expect, it } from 'vitest';
import { ClipboardGuard } from '../../electron/core/clipboard-guard';
import { createTestPlatform } from '../support/test-platform';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('clipboard guard', () => {
  it('clears the secret after the delay', async () => {
    const platform = createTestPlatform();
    const guard = new ClipboardGuard(platform.clipboard);
    await guard.copy('sk_live_abc', 30);
    expect(platform.clipboardText).toBe('sk_live_abc');
    await wait(60);
    expect(platform.clipboardText).toBe('');
    platform.cleanup();
  });

  it('leaves alone whatever the user copied since', async () => {
    const platform = createTestPlatform();
    const guard = new ClipboardGuard(platform.clipboard);
    await guard.copy('sk_live_abc', 30);
    platform.clipboardText = 'meeting notes';
    await wait(60);
    expect(platform.clipboardText).toBe('meeting notes');
    platform.cleanup();
  });

  it('forgets the first secret when a second is copied, and clears only on the second timer', async () => {
    const platform = createTestPlatform();
    const guard = new ClipboardGuard(platform.clipboard);
    await guard.copy('first', 20);
    await guard.copy('second', 80);
    await wait(40);
    expect(platform.clipboardText).toBe('second');
    expect(await guard.clearIfUnchanged()).toBe(true);
    expect(platform.clipboardText).toBe('');
    expect(await guard.clearIfUnchanged()).toBe(false);
    platform.cleanup();
  });
});
