/** The run's server, connected: every server action goes to the server the run was started with, and only there. */
import { CoreError } from '../../errors';
import { connectServer } from '../../servers/connect';
import type { ServerConnection } from '../../servers/connection';
import type { ServerRow } from '../../servers/store';
import type { ActionContext } from './types';

export function serverIdOf(ctx: Pick<ActionContext, 'run'>): string {
  if (!ctx.run.serverId) throw new CoreError('STEP_NOT_READY', 'This run has no server: start a run with the server this credential belongs to, or do this step by hand and skip it with a note.');
  return ctx.run.serverId;
}

export function connectRunServer(ctx: ActionContext): Promise<{ row: ServerRow; connection: ServerConnection }> {
  return connectServer(ctx.vault, ctx.clients, serverIdOf(ctx), ctx.now());
}

/** Runs `work` over the items with at most `limit` in flight, in order of the results. */
export async function inPool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
