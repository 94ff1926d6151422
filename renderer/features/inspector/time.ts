/** A token's instants (epoch ms) as a responder reads them: UTC, this machine's local time, and how far from now. */
import { utcStamp } from '../../ui/timestamp';

export function relativeTo(ms: number, nowMs = Date.now()): string {
  const seconds = (ms - nowMs) / 1000;
  const abs = Math.abs(seconds);
  const amount = abs < 90 ? `${Math.round(abs)} s` : abs < 5400 ? `${Math.round(abs / 60)} min` : abs < 172_800 ? `${Math.round(abs / 3600)} h` : `${Math.round(abs / 86_400)} days`;
  return seconds < 0 ? `${amount} ago` : `in ${amount}`;
}

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
