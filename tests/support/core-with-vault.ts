/**
 * The integration tests' core: created over a real vault file before each test of the file that
 * calls this, disposed after it, with the two ways to call a channel through the real router.
 */
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createCore, type Core, type CoreOptions } from '../../electron/core/core';
import type { Result } from '../../shared/result';
import { createTestPlatform, STRONG_PASSPHRASE, type TestPlatform } from './test-platform';

export interface CoreWithVault {
  readonly core: Core;
  readonly platform: TestPlatform;
  /** The router's answer, ok or not. */
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
  /** The answer's value; an error answer throws with its channel, code and message. */
  value<T>(channel: string, input: unknown): Promise<T>;
}

export function useCoreWithVault(options: Omit<Partial<CoreOptions>, 'platform'> = {}): CoreWithVault {
  let core: Core | null = null;
  let platform: TestPlatform | null = null;
  beforeEach(async () => {
    platform = createTestPlatform();
    core = createCore({ platform, calibrateKdf: false, log: () => undefined, ...options });
    await core.vault.create(join(platform.userDataDir, 'credops.vault'), STRONG_PASSPHRASE);
  });
  afterEach(() => {
    core?.dispose();
    platform?.cleanup();
  });
  const harness: CoreWithVault = {
    get core() {
      return core!;
    },
    get platform() {
      return platform!;
    },
    invoke: (channel, input) => harness.core.router.invoke(channel, input),
    async value<T>(channel: string, input: unknown): Promise<T> {
      const result = await harness.invoke(channel, input);
      if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
      return result.value as T;
    },
  };
  return harness;
}
