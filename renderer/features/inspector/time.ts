/** A token's instants as a responder reads them: UTC, this machine's local time, and how long ago. */
import { utcStamp } from '../../ui/timestamp';

export function relativeTo(iso: string, nowMs = Date.now()): string {
  const seconds = (Date.parse(iso) - nowMs) / 1000;
  const abs = Math.abs(seconds);
  const amount = abs < 90 ? `${Math.round(abs)} s` : abs < 5400 ? `${Math.round(abs / 60)} min` : abs < 172_800 ? `${Math.round(abs / 3600)} h` : `${Math.round(abs / 86_400)} days`;
  return seconds < 0 ? `${amount} ago` : `in ${amount}`;
}

export function utc(iso: string): string {
  return utcStamp(iso).replace(/Z$/, ' UTC');
}

export function local(iso: string): string {
  return new Date(iso).toLocaleString();
}
