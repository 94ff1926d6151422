/**
 * One long action of a screen: its busy state (to disable its button) and its error message. An
 * answer that arrives after the component is gone is dropped.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf } from '../api';

export interface Action {
  busy: boolean;
  error: string | null;
  /** Runs `work` unless already busy; resolves to its value, or undefined when it failed. */
  run<T>(work: () => Promise<T>): Promise<T | undefined>;
  clearError(): void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mounted = useRef(true);
  const running = useRef(false);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    if (running.current) return undefined;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (e) {
      if (mounted.current) setError(messageOf(e));
      return undefined;
    } finally {
      running.current = false;
      if (mounted.current) setBusy(false);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  return { busy, error, run, clearError };
}
