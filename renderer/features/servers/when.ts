import { utcStamp } from '../../ui/timestamp';

/** A time a provider reported, as the screens show times; anything that is not ISO, as given. */
export function stamp(at: string | null): string {
  if (!at) return '—';
  return /^\d{4}-\d\d-\d\dT/.test(at) ? utcStamp(at) : at;
}
