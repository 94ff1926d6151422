/**
 * One finding in full: what it is, what to do, every place it appears, its fingerprint, the
 * inventory credentials it is, and for a JWT what the inspector reads from it without a key.
 */
import type { LeakFinding } from '../../../shared/leaks';
import { utcStamp } from '../../ui/timestamp';
import { KIND_LABELS, STATUS_LABELS } from '../inventory/labels';
import { defaultTemplateId, placeText, plural, SEVERITY_LABELS, VERDICT_LABELS } from './labels';

function Places({ finding }: { finding: LeakFinding }) {
  const unlisted = finding.occurrences - finding.places.length;
  return (
    <>
      <span className="mono">{finding.places.map(placeText).join(', ')}</span>
      {unlisted > 0 && <span className="muted"> and {plural(unlisted, 'more place')} not listed</span>}
    </>
  );
}

function Jwt({ jwt }: { jwt: NonNullable<LeakFinding['jwt']> }) {
  return (
    <section aria-label="Token inspection" className="leak-jwt">
      <h4>Inspector</h4>
      <p className={`verdict-banner ${jwt.verdict}`}>
        <strong>{VERDICT_LABELS[jwt.verdict]}</strong>
        <span className="verdict-summary">{jwt.summary}</span>
      </p>
      <dl className="facts">
        <dt>Issuer</dt>
        <dd className="mono wrap-anywhere">{jwt.issuer ?? '—'}</dd>
        <dt>Subject</dt>
        <dd className="mono wrap-anywhere">{jwt.subject ?? '—'}</dd>
        <dt>Expires</dt>
        <dd className="mono">{jwt.expiresAt ? utcStamp(jwt.expiresAt) : 'never (no exp claim)'}</dd>
      </dl>
      {jwt.findings.length > 0 && (
        <ul className="token-findings" aria-label="Token findings">
          {jwt.findings.map((f, i) => (
            <li key={i} className={f.severity}>
              <span className={`severity ${f.severity}`}>{f.severity}</span> <code>{f.code}</code> {f.where && <code className="muted">{f.where}</code>}
              <div>{f.message}</div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function FindingDetail({ finding }: { finding: LeakFinding }) {
  return (
    <section aria-label="Finding detail" className="panel leak-detail">
      <header className="row wrap">
        <span className={`severity ${finding.severity}`}>{SEVERITY_LABELS[finding.severity]}</span>
        <h3 className="leak-detail-title">
          {finding.format.startsWith(finding.provider) ? finding.format : `${finding.provider} · ${finding.format}`}
        </h3>
      </header>
      <div className="leak-detail-body">
        <dl className="facts wide-facts">
          <dt>Value (masked)</dt>
          <dd className="mono wrap-anywhere">{finding.masked}</dd>
          <dt>Fingerprint</dt>
          <dd className="mono wrap-anywhere">{finding.fingerprint}</dd>
          <dt>Assigned to</dt>
          <dd className={finding.assignedTo ? 'mono' : 'muted'}>{finding.assignedTo ?? '—'}</dd>
          <dt>{finding.occurrences === 1 ? 'Place' : `${finding.occurrences.toLocaleString('en')} places`}</dt>
          <dd>
            <Places finding={finding} />
          </dd>
          <dt>Inventory</dt>
          <dd>
            {finding.matches.length === 0 ? (
              <span>Unknown: no credential in the inventory has this secret.</span>
            ) : (
              <ul className="leak-matches">
                {finding.matches.map((match) => (
                  <li key={match.credentialId}>
                    <strong>{match.name}</strong> · {KIND_LABELS[match.kind]} · {match.environment} · {match.owner ? `owner ${match.owner}` : 'no owner'} · {plural(match.copies, 'copy', 'copies')}
                    {match.status !== 'active' && <span className="warn"> · {STATUS_LABELS[match.status]}</span>}
                    <span className="muted small block">
                      Playbook: <span className="mono">{defaultTemplateId(match)}</span>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </dl>
        <div className="leak-advice">
          <h4>What to do</h4>
          <p>{finding.advice}</p>
        </div>
      </div>
      {finding.jwt && <Jwt jwt={finding.jwt} />}
    </section>
  );
}
