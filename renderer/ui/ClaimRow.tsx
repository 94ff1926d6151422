/**
 * A claim (a token's, or a member of an introspection answer) with what it means and, for a
 * NumericDate, its instant: worked out here from the value main sends, so answers stay small.
 */
import { claimInstantMs, claimMeaning } from '../../shared/claim-meanings';
import type { TokenClaim } from '../../shared/tokens';
import { InstantTime } from './InstantTime';

/** `note`: what the screen adds about this claim (an SD-JWT's disclosure that put it there). */
export function ClaimRow({ claim, note }: { claim: TokenClaim; note?: string | null }) {
  const meaning = claimMeaning(claim.name);
  const at = claimInstantMs(claim.name, claim.value);
  return (
    <tr>
      <th scope="row" className="mono" title={meaning ?? 'Not a registered or common claim'}>
        {claim.name}
      </th>
      <td>
        <span className="mono wrap-anywhere">{claim.value}</span>
        {at !== null && <InstantTime at={at} />}
        {note && (
          <div className="claim-note small" data-testid="claim-note">
            {note}
          </div>
        )}
        {meaning && <div className="hint small">{meaning}</div>}
      </td>
    </tr>
  );
}
