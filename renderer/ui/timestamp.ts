/** A stored UTC instant as the screens show it: `2026-11-23 09:00:00Z`, seconds without fractions. */
export function utcStamp(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}
