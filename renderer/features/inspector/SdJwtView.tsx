/**
 * An SD-JWT's own parts, below the claims it discloses: each disclosure and what became of it, how
 * many digests stay withheld, and the holder's Key Binding JWT, so a responder sees which claim
 * the holder chose to show and which one no issuer signed.
 */
import type { SdJwtSection } from '../../../shared/tokens';
import { ClaimRow } from '../../ui/ClaimRow';

const STATUS_WORDS: Record<SdJwtSection['disclosures'][number]['status'], string> = {
  disclosed: 'disclosed',
  unreferenced: 'not signed by the issuer',
  malformed: 'rejected',
};

const BINDING_WORDS: Record<SdJwtSection['keyBinding']['status'], string> = {
  verified: 'Verified: signed by the holder key the issuer named, over this presentation',
  invalid: 'Invalid: see the findings',
  unchecked: 'Not checked: see the findings',
  absent: 'None: the presentation carries no Key Binding JWT',
};

export function SdJwtView({ sd }: { sd: SdJwtSection }) {
  const { disclosures, keyBinding } = sd;
  const shown = disclosures.filter((d) => d.status === 'disclosed').length;
  const rejected = disclosures.length - shown;
  return (
    <div className="token-parts sd-jwt">
      <section className="panel" aria-label="Disclosures">
        <h3>Disclosures</h3>
        <p className="hint small" data-testid="sd-summary">
          {shown === 0 ? 'None disclosed' : `${shown} disclosed`}
          {rejected > 0 && `, ${rejected} rejected`}; {sd.withheld === 1 ? '1 digest' : `${sd.withheld} digests`} withheld (claims the holder did not show, or decoys). Digests by {sd.hashAlg}.
        </p>
        {disclosures.length > 0 && (
          <table className="table compact">
            <thead>
              <tr>
                <th>#</th>
                <th>Claim</th>
                <th>Value</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {disclosures.map((d, i) => (
                <tr key={d.digest + i} className={d.status === 'disclosed' ? undefined : 'rejected'}>
                  <td>{i + 1}</td>
                  <td className="mono wrap-anywhere" title={`digest ${d.digest}`}>
                    {d.path ?? d.name ?? 'array element'}
                  </td>
                  <td className="mono wrap-anywhere">{d.value ?? '—'}</td>
                  <td>
                    <span className={`badge ${d.status === 'disclosed' ? 'low' : 'high'}`}>{STATUS_WORDS[d.status]}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-label="Key binding">
        <h3>Key binding</h3>
        <p data-testid="key-binding">{BINDING_WORDS[keyBinding.status]}</p>
        {keyBinding.key && <p className="hint small wrap-anywhere">{keyBinding.key}</p>}
        {keyBinding.claims.length > 0 && (
          <table className="table compact">
            <tbody>
              {keyBinding.claims.map((claim) => (
                <ClaimRow key={claim.name} claim={claim} />
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
