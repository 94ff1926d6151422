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
  unmatched: 'not matched',
};

/** `issuerVerified`: whether the issuer's signature verified; until it does, what its payload names (digests, the holder's key) is anyone's word. */
function bindingWords(status: SdJwtSection['keyBinding']['status'], issuerVerified: boolean): string {
  if (status === 'verified') {
    return issuerVerified
      ? 'Verified: signed by the holder key the issuer named, over this presentation'
      : "Signed by the holder key the issuer-signed JWT names, over this presentation; the issuer's signature is not verified, so whose key that is, is not known";
  }
  return { invalid: 'Invalid: see the findings', unchecked: 'Not checked: see the findings', absent: 'None: the presentation carries no Key Binding JWT' }[status];
}

/** What the disclosures came to, in a line: how many match, how many were rejected, how many digests stay withheld. */
function disclosuresLine(sd: SdJwtSection): string {
  const { disclosures } = sd;
  if (disclosures.some((d) => d.status === 'unmatched')) {
    return `${disclosures.length} ${disclosures.length === 1 ? 'disclosure' : 'disclosures'}, none matched: digests by ${sd.hashAlg}, a hash CredOps does not check with.`;
  }
  const shown = disclosures.filter((d) => d.status === 'disclosed').length;
  const rejected = disclosures.length - shown;
  return `${shown === 0 ? 'None' : shown} disclosed${rejected > 0 ? `, ${rejected} rejected` : ''}; ${sd.withheld === 1 ? '1 digest' : `${sd.withheld} digests`} withheld (claims the holder did not show, or decoys). Digests by ${sd.hashAlg}.`;
}

export function SdJwtView({ sd, issuerVerified }: { sd: SdJwtSection; issuerVerified: boolean }) {
  const { disclosures, keyBinding } = sd;
  return (
    <div className="token-parts sd-jwt">
      <section className="panel" aria-label="Disclosures">
        <h3>Disclosures</h3>
        <p className="hint small" data-testid="sd-summary">
          {disclosuresLine(sd)}
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
                    {d.path ?? d.name ?? (d.value === null ? 'unreadable' : 'array element')}
                  </td>
                  <td className="mono wrap-anywhere">{d.value ?? '—'}</td>
                  <td>
                    <span className={`badge ${d.status === 'disclosed' ? 'low' : 'high'}`}>{d.status === 'disclosed' && !issuerVerified ? 'matches an unverified digest' : STATUS_WORDS[d.status]}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-label="Key binding">
        <h3>Key binding</h3>
        <p data-testid="key-binding">{bindingWords(keyBinding.status, issuerVerified)}</p>
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
