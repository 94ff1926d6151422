/** The local time of day with its zone, and the date too when it is not today. */
export function clockTime(ms: number, nowMs = Date.now()): string {
  const at = new Date(ms);
  const zone = { timeZoneName: 'short' } as const;
  return at.toDateString() === new Date(nowMs).toDateString() ? at.toLocaleTimeString(undefined, zone) : at.toLocaleString(undefined, zone);
}
