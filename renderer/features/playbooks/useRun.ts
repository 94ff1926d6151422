/**
 * One run as the run view holds it: the run, a page of its timeline (newest first), and `change`,
 * which sends a change at the revision on screen. Every change answers the run as it is now; the
 * timeline is read again after it. RUN_CONFLICT (another window changed the run) reloads the run
 * and is passed on with a message that says so, for the control the user acted on to show.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunView, TimelineEvent } from '../../../shared/playbooks';
import type { Result } from '../../../shared/result';
import { api, ApiError, messageOf, unwrap } from '../../api';

export const TIMELINE_PAGE = 25;

interface Loaded {
  run: RunView;
  timeline: TimelineEvent[];
  timelineTotal: number;
}

export interface RunHandle {
  run: RunView | null;
  timeline: TimelineEvent[];
  timelineTotal: number;
  timelineOffset: number;
  /** Why the run could not be read; null while it reads or once it did. */
  error: string | null;
  reload(): Promise<void>;
  showTimeline(offset: number): void;
  change(work: (revision: number) => Promise<Result<RunView>>): Promise<RunView>;
}

const CONFLICT = 'Someone else changed this run since it was shown here (another window?). CredOps reloaded it: check the step, then try again.';

export function useRun(runId: string): RunHandle {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);
  const current = useRef<{ run: RunView | null; offset: number }>({ run: null, offset: 0 });

  const load = useCallback(
    async (at: number) => {
      const request = ++latest.current;
      try {
        const answer = await unwrap(api().playbooks.get({ runId, timelineOffset: at, timelineLimit: TIMELINE_PAGE }));
        if (request !== latest.current) return;
        current.current.run = answer.run;
        setLoaded(answer);
        setError(null);
      } catch (e) {
        if (request === latest.current) setError(messageOf(e));
      }
    },
    [runId],
  );

  useEffect(() => {
    current.current.offset = offset;
    void load(offset);
  }, [load, offset]);

  const reload = useCallback(() => load(current.current.offset), [load]);

  const change = useCallback(
    async (work: (revision: number) => Promise<Result<RunView>>) => {
      const shown = current.current.run;
      if (!shown) throw new ApiError({ code: 'RUN_NOT_FOUND', message: 'The run is still loading. Try again in a moment.' });
      let answer: RunView;
      try {
        answer = await unwrap(work(shown.revision));
      } catch (e) {
        if (e instanceof ApiError && e.error.code === 'RUN_CONFLICT') {
          await reload();
          throw new ApiError({ code: 'RUN_CONFLICT', message: CONFLICT });
        }
        throw e;
      }
      // Shown at once (the next change starts from its revision); the timeline follows.
      current.current.run = answer;
      latest.current += 1;
      setLoaded((before) => (before ? { ...before, run: answer } : before));
      void reload();
      return answer;
    },
    [reload],
  );

  return {
    run: loaded?.run ?? null,
    timeline: loaded?.timeline ?? [],
    timelineTotal: loaded?.timelineTotal ?? 0,
    timelineOffset: offset,
    error,
    reload,
    showTimeline: setOffset,
    change,
  };
}
