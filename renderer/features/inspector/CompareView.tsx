/**
 * Two tokens side by side, claim by claim: what differs is marked, what one lacks is shown as
 * absent, and a side whose claims could not be read says so rather than showing them as absent.
 * Values are compared as JSON, whatever the order of their members; numbers past 2^53 as written.
 * Each side is verified with a key of its own (a DPoP proof is the client's to check, the token
 * beside it the issuer's), and a proof beside its access token is paired, as a resource server pairs them.
 */
import { useState } from 'react';
import { canonicalJson, canonicalJsonText } from '../../../shared/canonical-json';
import type { Inspection, KeySource } from '../../../shared/tokens';
import { DpopBindingView } from './DpopBindingView';
import { FoundInPaste } from './FoundInPaste';
import { VERDICT_WORDS } from './InspectionView';
import { KeyPicker } from './KeyPicker';
import { useInspection, type InspectionState } from './useInspection';

interface Cell {
  shown: string;
  /** What is compared: the canonical JSON, or the digest of a value too long to send whole. */
  whole: string;
}

/** A JWE without its key, an opaque token, garbage or a token nested too deep has no claims to compare. */
function claimMap(inspection: Inspection): Map<string, Cell> | null {
  if (!inspection.claimsRead) return null;
  return new Map(inspection.claims.map((c) => [c.name, { shown: c.value, whole: c.digest ?? canonicalJsonText(c.value) }]));
}

function headerMap(inspection: Inspection): Map<string, Cell> | null {
  if (!inspection.header) return null;
  return new Map(Object.entries(JSON.parse(inspection.header) as Record<string, unknown>).map(([k, v]) => [k, { shown: JSON.stringify(v), whole: canonicalJson(v) ?? JSON.stringify(v) }]));
}

type Side = Map<string, Cell> | null;

function Value({ side, cell }: { side: Side; cell: Cell | undefined }) {
  if (side === null) return <span className="muted">not read</span>;
  return cell ? <>{cell.shown}</> : <span className="muted">absent</span>;
}

/**
 * Each side's verdict, so a token that did not decode is never mistaken for one with fewer claims;
 * and, for a paste holding several tokens, which one this side read, with a button for each other.
 */
function SideVerdict({ label, state, onPick }: { label: string; state: InspectionState; onPick: (index: number) => void }) {
  if (state.error) return <p className="error-note small">{state.error}</p>;
  if (!state.inspection) return null;
  const { verdict, summary, findings, inPaste } = state.inspection;
  // Said here as Compare shows no findings.
  const fromPaste = findings.find((f) => f.code === 'TOKEN_IN_PASTE');
  return (
    <>
      <FoundInPaste inPaste={inPaste} onPick={onPick} />
      <p className={`verdict-banner compact ${verdict}`} data-testid={`${label}-verdict`}>
        <strong>{VERDICT_WORDS[verdict]}</strong>
        <span className="verdict-summary small">{summary}</span>
        {fromPaste && <span className="verdict-summary small muted">{fromPaste.message}</span>}
      </p>
    </>
  );
}

export function CompareView() {
  const [left, setLeft] = useState('');
  const [right, setRight] = useState('');
  // A key for each: a DPoP proof is the client's to check, the token beside it the issuer's.
  const [leftKey, setLeftKey] = useState<KeySource | null>(null);
  const [rightKey, setRightKey] = useState<KeySource | null>(null);
  // Which token of each paste; a new paste starts again from its first.
  const [leftPick, setLeftPick] = useState(0);
  const [rightPick, setRightPick] = useState(0);
  const a = useInspection(left, leftKey, null, leftPick);
  const b = useInspection(right, rightKey, null, rightPick);
  const rows: { part: string; name: string; left: Side; right: Side; same: boolean }[] = [];
  // Compared only once both sides have an answer: one pasted token is not a comparison.
  const [first, second] = [a.inspection, b.inspection];
  const pairs = first && second ? ([['header', headerMap(first), headerMap(second)], ['claim', claimMap(first), claimMap(second)]] as const) : [];
  const unread = [...(first && !first.claimsRead ? ['the first token\'s'] : []), ...(second && !second.claimsRead ? ['the second token\'s'] : [])];
  for (const [part, l, r] of pairs) {
    if (l === null && r === null) continue;
    for (const name of new Set([...(l?.keys() ?? []), ...(r?.keys() ?? [])])) {
      rows.push({ part, name, left: l, right: r, same: l !== null && r !== null && l.get(name)?.whole === r.get(name)?.whole });
    }
  }
  const differing = rows.filter((row) => !row.same).length;
  const omitted = Math.max(first?.moreClaims ?? 0, second?.moreClaims ?? 0);
  const status =
    unread.length > 0 ? `Cannot compare claims: ${unread.join(' and ')} could not be read (see above).`
    : differing === 0 ? 'Same header and claims.'
    : `${differing} of ${rows.length} header fields and claims differ.`;
  return (
    <div className="compare">
      <div className="compare-inputs">
        <div>
          <textarea aria-label="First token" className="mono token-input" rows={4} spellCheck={false} value={left} onChange={(e) => { setLeft(e.target.value); setLeftPick(0); }} placeholder="First token" />
          <KeyPicker legend="Verify the first with" onChange={setLeftKey} />
          <SideVerdict label="first" state={a} onPick={setLeftPick} />
        </div>
        <div>
          <textarea aria-label="Second token" className="mono token-input" rows={4} spellCheck={false} value={right} onChange={(e) => { setRight(e.target.value); setRightPick(0); }} placeholder="Second token" />
          <KeyPicker legend="Verify the second with" onChange={setRightKey} />
          <SideVerdict label="second" state={b} onPick={setRightPick} />
        </div>
      </div>
      {first && second && (
        <p role="status" className="muted" data-testid="compare-status">
          {status}
          {omitted > 0 && ` Only the first 500 claims of each are compared; ${omitted.toLocaleString('en')} more are not.`}
        </p>
      )}
      <DpopBindingView first={a} second={b} />
      {rows.length > 0 && (
        <>
          <table className="table compact compare-table" aria-label="Comparison">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">First</th>
                <th scope="col">Second</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.part}.${row.name}`} className={row.same ? undefined : 'differs'} data-differs={!row.same}>
                  <th scope="row" className="mono">
                    {row.part === 'header' ? `header.${row.name}` : row.name}
                  </th>
                  <td className="mono wrap-anywhere">
                    <Value side={row.left} cell={row.left?.get(row.name)} />
                  </td>
                  <td className="mono wrap-anywhere">
                    <Value side={row.right} cell={row.right?.get(row.name)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
