/** The Inventory header: how many credentials have each finding; a click filters the table by it. */
import { useEffect, useState } from 'react';
import type { HealthCode, HealthSummary } from '../../../shared/credentials';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { FINDING_LABELS } from './labels';

interface HealthHeaderProps {
  revision: number;
  active: HealthCode | undefined;
  onPick(code: HealthCode | undefined): void;
}

export function HealthHeader({ revision, active, onPick }: HealthHeaderProps) {
  const [summary, setSummary] = useState<HealthSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    unwrap(api().credentials.health()).then(
      (next) => {
        if (!current) return;
        setSummary(next);
        setError(null);
      },
      (e: unknown) => current && setError(messageOf(e)),
    );
    return () => {
      current = false;
    };
  }, [revision]);

  if (error) return <ErrorNote message={error} />;
  if (!summary) return <div className="health-header muted">Checking health…</div>;
  const found = summary.findings.filter((f) => f.count > 0);
  return (
    <div className="health-header" role="group" aria-label="Health findings">
      <span className="muted">
        {summary.total.toLocaleString('en')} in use · {found.length === 0 ? 'no findings' : `${found.length} kinds of finding`}
      </span>
      {found.map((finding) => (
        <button
          type="button"
          key={finding.code}
          className={`chip ${finding.severity}`}
          aria-pressed={active === finding.code}
          title={finding.code}
          onClick={() => onPick(active === finding.code ? undefined : finding.code)}
        >
          {FINDING_LABELS[finding.code]} <strong>{finding.count.toLocaleString('en')}</strong>
        </button>
      ))}
    </div>
  );
}
