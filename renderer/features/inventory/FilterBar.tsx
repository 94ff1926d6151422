/** Search as you type, and the filters: kind, environment, owner, status and health finding. */
import { CREDENTIAL_STATUSES, HEALTH_CODES, STANDARD_ENVIRONMENTS } from '../../../shared/credentials';
import { FINDING_LABELS, KIND_LABELS, options, STATUS_LABELS } from './labels';
import { useInventory, type Filters } from './store';

export function FilterBar() {
  const text = useInventory((s) => s.text);
  const filters = useInventory((s) => s.filters);
  const setText = useInventory((s) => s.setText);
  const setFilter = useInventory((s) => s.setFilter);
  const clear = useInventory((s) => s.clearFilters);
  const pick = <K extends keyof Filters>(key: K) => (event: { target: { value: string } }) => setFilter(key, (event.target.value || undefined) as Filters[K]);
  const any = text || Object.values(filters).some(Boolean);
  return (
    <div className="filter-bar">
      <input type="search" aria-label="Search credentials" placeholder="Search name, owner, tenant, client id, tags, scopes…" value={text} maxLength={200} onChange={(e) => setText(e.target.value)} />
      <select aria-label="Kind" value={filters.kind ?? ''} onChange={pick('kind')}>
        <option value="">Any kind</option>
        {options(KIND_LABELS).map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <input aria-label="Environment" placeholder="Any environment" list="environments" value={filters.environment ?? ''} maxLength={40} onChange={pick('environment')} />
      <datalist id="environments">
        {STANDARD_ENVIRONMENTS.map((env) => (
          <option key={env} value={env} />
        ))}
      </datalist>
      <input aria-label="Owner" placeholder="Any owner" value={filters.owner ?? ''} maxLength={120} onChange={pick('owner')} />
      <select aria-label="Status" value={filters.status ?? ''} onChange={pick('status')}>
        <option value="">Any status</option>
        {CREDENTIAL_STATUSES.map((status) => (
          <option key={status} value={status}>
            {STATUS_LABELS[status]}
          </option>
        ))}
      </select>
      <select aria-label="Finding" value={filters.finding ?? ''} onChange={pick('finding')}>
        <option value="">Any finding</option>
        {HEALTH_CODES.map((code) => (
          <option key={code} value={code}>
            {FINDING_LABELS[code]}
          </option>
        ))}
      </select>
      <button type="button" onClick={clear} disabled={!any}>
        Clear
      </button>
    </div>
  );
}
