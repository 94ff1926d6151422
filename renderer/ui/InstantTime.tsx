/**
 * An instant in UTC, local time and relative to now. The relative part ticks (every second in the
 * last two minutes, every 15 s before), so a screen left open never says "in 2 min" of a token
 * that has expired.
 */
import { useNow } from './useNow';
import { relativeSpan } from '../../shared/spans';
import { localStamp, utcInstant } from './timestamp';

const NEAR_MS = 120_000;

/** The clock, ticking every second near `at` (within two minutes) and every 15 s further off. */
export function useNowNear(at: number): number {
  return useNow(Math.abs(at - Date.now()) < NEAR_MS ? 1000 : 15_000);
}

/** "in 3 min", "2 h ago": kept true while the screen stays open. */
export function RelativeTime({ at }: { at: number }) {
  return <strong>{relativeSpan(at, useNowNear(at))}</strong>;
}

export function InstantTime({ at }: { at: number }) {
  return (
    <div className="claim-time">
      {utcInstant(at)} · {localStamp(at)} local · <RelativeTime at={at} />
    </div>
  );
}
