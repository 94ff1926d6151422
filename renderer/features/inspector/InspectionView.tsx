/** An inspection: the verdict, the findings a responder acts on, and header, claims and signature side by side. */
import { headerMeaning } from '../../../shared/claim-meanings';
import type { Inspection } from '../../../shared/tokens';
import { ClaimRow } from '../../ui/ClaimRow';
import { SdJwtView } from './SdJwtView';
import { clockTime } from './time';

export const VERDICT_WORDS: Record<Inspection['verdict'], string> = {
  valid: 'Valid',
  invalid: 'Invalid',
  unverifiable: 'Unverifiable',
  unparseable: 'Unparseable',
  opaque: 'Opaque token',
};

const KIND_WORDS: Record<Inspection['kind'], string> = {
  access_token: 'access token',
  id_token: 'ID token',
  logout_token: 'logout token',
  refresh_token: 'refresh token',
  dpop_proof: 'DPoP proof',
  sd_jwt: 'SD-JWT (selective disclosure)',
  kb_jwt: 'Key Binding JWT (of an SD-JWT)',
  jwt: 'JWT',
  jwe: 'encrypted token (JWE)',
  opaque: 'opaque token',
  unknown: 'unknown',
};

export function InspectionView({ inspection, checkedAt }: { inspection: Inspection; checkedAt: number | null }) {
  const { signature } = inspection;
  return (
    <div className="inspection">
      <p role="status" className={`verdict-banner ${inspection.verdict}`} data-testid="verdict">
        {/* "Opaque token · opaque token" would say it twice. */}
        <strong>{VERDICT_WORDS[inspection.verdict]}</strong> {inspection.kind !== 'opaque' && <span className="muted">· {KIND_WORDS[inspection.kind]}</span>}
        <span className="verdict-summary">{inspection.summary}</span>
      </p>
      {inspection.findings.length > 0 && (
        <ul className="token-findings" aria-label="Findings">
          {inspection.findings.map((f, i) => (
            <li key={i} className={f.severity}>
              <span className={`severity ${f.severity}`}>{f.severity}</span> <code>{f.code}</code> {f.where && <code className="muted">{f.where}</code>}
              <div>{f.message}</div>
            </li>
          ))}
        </ul>
      )}
      {(inspection.header || inspection.claims.length > 0) && (
        <div className="token-parts">
          <section className="panel" aria-label="Header">
            <h3>Header</h3>
            {inspection.header ? (
              <table className="table compact">
                <tbody>
                  {Object.entries(JSON.parse(inspection.header) as Record<string, unknown>).map(([name, value]) => (
                    <tr key={name}>
                      <th scope="row" className="mono">
                        {name}
                      </th>
                      <td>
                        <span className="mono wrap-anywhere">{JSON.stringify(value)}</span>
                        {headerMeaning(name) && <div className="hint small">{headerMeaning(name)}</div>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted">—</p>
            )}
          </section>
          <section className="panel" aria-label="Claims">
            <h3>Claims</h3>
            <table className="table compact">
              <tbody>
                {inspection.claims.map((claim) => (
                  <ClaimRow key={`${claim.name}=${claim.value}`} claim={claim} note={claim.note} />
                ))}
              </tbody>
            </table>
            {inspection.moreClaims > 0 && (
              <p className="hint small" data-testid="more-claims">
                {inspection.moreClaims.toLocaleString('en')} more claims are not shown: no real token has over 500.
              </p>
            )}
          </section>
          <section className="panel" aria-label="Signature">
            <h3>Signature</h3>
            <dl className="facts">
              <dt>Algorithm</dt>
              <dd className="mono">{signature.alg ?? '—'}</dd>
              <dt>Verified</dt>
              <dd>{signature.verified === null ? 'not checked' : signature.verified ? 'yes' : 'no'}</dd>
              <dt>Key</dt>
              <dd className="wrap-anywhere">{signature.key ?? '—'}</dd>
            </dl>
            <p className="hint small" data-testid="checked-at">
              {checkedAt !== null ? `Checked at ${clockTime(checkedAt)}, in ${inspection.tookMs} ms` : `Checked in ${inspection.tookMs} ms`}, offline
              {inspection.recheckAtMs !== null && `; checked again at ${clockTime(inspection.recheckAtMs)}, when its time checks next change`}. Nothing pasted was stored or sent.
            </p>
          </section>
        </div>
      )}
      {inspection.sdJwt && <SdJwtView sd={inspection.sdJwt} issuerVerified={signature.verified === true} />}
    </div>
  );
}
