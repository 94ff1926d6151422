/**
 * Channel → handler. The router parses every input with the contract, runs the handler, checks the
 * output against the contract, and answers a Result: the same router serves Electron IPC and the
 * e2e harness. Messages never echo input values, which may be passphrases.
 */
import type { z } from 'zod';
import { contract, type Channel, type ChannelOutput, type Contract } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { describeIssues } from './describe-issues';
import { isCoreError } from './errors';

export type Handlers = {
  [C in Channel]: (input: z.output<Contract[C]['input']>) => Promise<ChannelOutput<C>> | ChannelOutput<C>;
};

export interface Router {
  readonly channels: readonly Channel[];
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
}

export interface RouterOptions {
  /** Told about every call that reached a handler (auto-lock counts it as activity). */
  onCall?: (channel: Channel) => void;
  /** Where unexpected failures are reported (never shown to the renderer). */
  log?: (message: string) => void;
}

function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

export function createRouter(handlers: Handlers, options: RouterOptions = {}): Router {
  const log = options.log ?? ((message: string) => console.error(message));
  return {
    channels: Object.keys(handlers) as Channel[],
    async invoke(channel, input) {
      if (!isChannel(channel)) return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `There is no channel named ${JSON.stringify(channel.slice(0, 64))}.` } };
      const spec = contract[channel];
      const parsed = spec.input.safeParse(input);
      if (!parsed.success) return { ok: false, error: { code: 'INVALID_INPUT', message: describeIssues(parsed.error.issues) } };
      options.onCall?.(channel);
      try {
        const handler = handlers[channel] as (input: unknown) => unknown;
        const value = await handler(parsed.data);
        const checked = spec.output.safeParse(value);
        if (!checked.success) {
          log(`credops: ${channel} produced output outside the contract: ${describeIssues(checked.error.issues)}`);
          return { ok: false, error: { code: 'INTERNAL', message: 'CredOps produced an answer it could not send. Nothing was shown; please report this.' } };
        }
        return { ok: true, value: checked.data };
      } catch (error) {
        if (isCoreError(error)) {
          return { ok: false, error: { code: error.code, message: error.message, ...(error.retryAfterMs ? { retryAfterMs: error.retryAfterMs } : {}) } };
        }
        log(`credops: ${channel} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error'}`);
        return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside CredOps. Nothing was changed; try again.' } };
      }
    },
  };
}
