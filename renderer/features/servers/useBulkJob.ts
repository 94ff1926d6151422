/**
 * Follows one bulk revocation job: its status once when chosen, then every ~300 ms while it is
 * running or verifying with a runner at work. Polling stops when the job pauses or ends, when another job is chosen, and
 * when the screen unmounts.
 */
import { useCallback, useEffect, useState } from 'react';
import type { BulkStatus } from '../../../shared/servers';
import { api, messageOf, unwrap } from '../../api';

const POLL_MS = 300;
/** After a failed poll: slower, so a broken core is not asked three times a second. */
const RETRY_MS = 2_000;

/** Something is working on it: a job left running without a runner waits for Resume, unpolled. */
export const isLive = (status: BulkStatus | null) => (status?.state === 'running' || status?.state === 'verifying') && status.active;

export function useBulkJob(jobId: string | null, initial: BulkStatus | null): { status: BulkStatus | null; error: string | null; update(status: BulkStatus): void } {
  const [state, setState] = useState<{ status: BulkStatus | null; error: string | null }>({ status: null, error: null });
  // Until the first poll answers, the status the job was started with (if it is this job).
  const status = state.status?.id === jobId ? state.status : initial?.id === jobId ? initial : null;
  const live = isLive(status);

  useEffect(() => {
    if (!jobId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await unwrap(api().servers.bulkStatus({ jobId }));
        if (stopped) return;
        setState({ status: next, error: null });
        // The effect runs again when the job stops being live; this loop only carries it while live.
        if (isLive(next)) timer = setTimeout(() => void poll(), POLL_MS);
      } catch (e) {
        if (stopped) return;
        setState((s) => ({ ...s, error: messageOf(e) }));
        timer = setTimeout(() => void poll(), RETRY_MS);
      }
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // `live` restarts the loop after Resume; a poll that finds the job paused or ended stops it.
  }, [jobId, live]);

  const update = useCallback((next: BulkStatus) => setState({ status: next, error: null }), []);
  return { status, error: state.error, update };
}
