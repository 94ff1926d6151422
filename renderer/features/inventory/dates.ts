/** Dates as the inventory shows them: the UTC day, and how long ago or until, from the given clock. */
const DAY_MS = 86_400_000;

export function day(iso: string | null): string {
  return iso ? iso.slice(0, 10) : '—';
}

export function relative(iso: string, now = Date.now()): string {
  const days = Math.round((Date.parse(iso) - now) / DAY_MS);
  if (days === 0) return 'today';
  if (days > 0) return days === 1 ? 'tomorrow' : `in ${days} days`;
  return days === -1 ? 'yesterday' : `${-days} days ago`;
}

/** The value of an <input type="date"> for a stored date, and back (midnight UTC). */
export function toDateInput(iso: string | null): string {
  return iso ? iso.slice(0, 10) : '';
}

export function fromDateInput(value: string, previous: string | null): string | null {
  if (!value) return null;
  // Keep the stored time of day when the day itself did not change.
  if (previous && previous.slice(0, 10) === value) return previous;
  return `${value}T00:00:00.000Z`;
}
