/**
 * A NumericDate claim's instant in UTC, local time and relative to now. The relative part ticks
 * (every second in the last two minutes, every 15 s before), so a screen left open never says
 * "in 2 min" of a token that has expired.
 */
import { useNow } from '../../ui/useNow';
import { relativeSpan } from '../../../shared/spans';
import { local, utc } from './time';

const NEAR_MS = 120_000;

export function ClaimTime({ at }: { at: number }) {
  const now = useNow(Math.abs(at - Date.now()) < NEAR_MS ? 1000 : 15_000);
  return (
    <div className="claim-time">
      {utc(at)} · {local(at)} local · <strong>{relativeSpan(at, now)}</strong>
    </div>
  );
}
