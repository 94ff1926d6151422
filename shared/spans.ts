/** Spans of time as a responder reads them, coarse on purpose: "90 s", "3 h", "2 days"; "in 4 min", "3 h ago". */

export function span(seconds: number): string {
  const abs = Math.abs(seconds);
  return abs < 90 ? `${Math.round(abs)} s` : abs < 5400 ? `${Math.round(abs / 60)} min` : abs < 172_800 ? `${Math.round(abs / 3600)} h` : `${Math.round(abs / 86_400)} days`;
}

/** How far an instant lies from now, both in epoch ms. */
export function relativeSpan(atMs: number, nowMs: number): string {
  const seconds = (atMs - nowMs) / 1000;
  return seconds < 0 ? `${span(seconds)} ago` : `in ${span(seconds)}`;
}
