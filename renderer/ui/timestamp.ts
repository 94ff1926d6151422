/** A stored UTC instant as the screens show it: `2026-11-23 09:00:00Z`, seconds without fractions. */
export function utcStamp(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** An instant (epoch ms) in UTC, as a responder reads a token's times: `2026-11-23 09:00:00 UTC`. */
export function utcInstant(ms: number): string {
  return utcStamp(new Date(ms).toISOString()).replace(/Z$/, ' UTC');
}

/** An instant (epoch ms) in this machine's local time. */
export function localStamp(ms: number): string {
  return new Date(ms).toLocaleString();
}
