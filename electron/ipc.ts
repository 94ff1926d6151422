/**
 * The one door from renderer to main: every channel in the contract is handled here, and a message
 * is answered only if it comes from our own app:// page in the main frame. The router then parses
 * the input against the contract and answers a Result.
 */
import type { IpcMain, WebFrameMain } from 'electron';
import type { Result } from '../shared/result';
import type { Router } from './core/router';
import { APP_HOST, APP_SCHEME } from './window';

export function isTrustedSender(frame: Pick<WebFrameMain, 'url' | 'parent'> | null | undefined): boolean {
  if (!frame || frame.parent !== null) return false;
  try {
    // URL.origin is "null" for a non-special scheme like app:, so compare scheme and host.
    const url = new URL(frame.url);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, router: Router, log: (message: string) => void = console.warn): void {
  for (const channel of router.channels) {
    ipcMain.handle(channel, async (event, input: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event.senderFrame)) {
        log(`credops: refused ${channel} from ${event.senderFrame?.url ?? 'an unknown frame'}`);
        return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'This request did not come from the CredOps window.' } };
      }
      return router.invoke(channel, input);
    });
  }
}
