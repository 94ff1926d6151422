/** A token's instants (epoch ms) as a responder reads them: in UTC and in this machine's local time. */
import { utcStamp } from '../../ui/timestamp';

export function utc(ms: number): string {
  return utcStamp(new Date(ms).toISOString()).replace(/Z$/, ' UTC');
}

export function local(ms: number): string {
  return new Date(ms).toLocaleString();
}

/** The local time of day with its zone, and the date too when it is not today. */
export function clockTime(ms: number, nowMs = Date.now()): string {
  const at = new Date(ms);
  const zone = { timeZoneName: 'short' } as const;
  return at.toDateString() === new Date(nowMs).toDateString() ? at.toLocaleTimeString(undefined, zone) : at.toLocaleString(undefined, zone);
}
