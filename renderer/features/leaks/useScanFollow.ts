/**
 * Follows the current scan: its status every ~200 ms while it runs, then its findings once it is
 * done or cancelled (what was found before a cancel is still worth reading). Polling stops when the
 * scan ends, when another scan starts or the results are discarded, and when the screen unmounts;
 * coming back to the screen picks a running scan up again.
 */
import { useEffect, useState } from 'react';
import { api, messageOf, unwrap } from '../../api';
import { useLeaks } from './store';

const POLL_MS = 200;
/** After a failed poll: slower, so a broken core is not asked five times a second. */
const RETRY_MS = 2_000;

export function useScanFollow(): string | null {
  const scanId = useLeaks((s) => s.scan?.scanId ?? null);
  const state = useLeaks((s) => s.scan?.state ?? null);
  const read = useLeaks((s) => s.findings !== null);
  const [error, setError] = useState<{ scanId: string; message: string } | null>(null);

  useEffect(() => {
    if (!scanId || !state) return;
    const { progressed, loaded } = useLeaks.getState();
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fail = (e: unknown) => !stopped && setError({ scanId, message: messageOf(e) });

    if (state === 'running') {
      const poll = async () => {
        try {
          const status = await unwrap(api().leaks.status({ scanId }));
          if (stopped) return;
          setError(null);
          progressed(status);
          // When it stops running the effect runs again, for the findings.
          if (status.state === 'running') timer = setTimeout(() => void poll(), POLL_MS);
        } catch (e) {
          fail(e);
          if (!stopped) timer = setTimeout(() => void poll(), RETRY_MS);
        }
      };
      timer = setTimeout(() => void poll(), POLL_MS);
    } else if (!read && (state === 'done' || state === 'cancelled')) {
      unwrap(api().leaks.findings({ scanId })).then(({ status, findings }) => !stopped && loaded(status, findings), fail);
    }
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [scanId, state, read]);

  return error && error.scanId === scanId ? error.message : null;
}
