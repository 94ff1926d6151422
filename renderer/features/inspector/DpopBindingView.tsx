/**
 * When one of the two tokens compared is a DPoP proof and the other the access token it came with:
 * whether they go together, as a resource server pairs them (main decides; the screen only shows).
 */
import { useEffect, useState } from 'react';
import type { BindingRequest, DpopBinding } from '../../../shared/tokens';
import { api, unwrap } from '../../api';
import type { InspectionState } from './useInspection';

const STATE_WORDS: Record<DpopBinding['ath'] | DpopBinding['jkt'], string> = {
  matches: 'matches',
  differs: 'differs',
  absent: 'absent',
  malformed: 'malformed in the token',
  'not-read': 'not readable in the token',
};

/** The proof and the access token among the two compared, proof first, each with the text, key and pick its verdict is for; null when neither is a proof. */
function proofPair(first: InspectionState, second: InspectionState): BindingRequest | null {
  if (!first.inspection || !second.inspection) return null;
  // Any second token pairs, whatever its verdict (a short opaque one reads unparseable): main decides what it can tell.
  const pair = (proof: InspectionState, token: InspectionState) => ({ proof: proof.token ?? '', proofKey: proof.key, proofPick: proof.pick, accessToken: token.token ?? '', accessTokenKey: token.key, accessTokenPick: token.pick });
  if (first.inspection.kind === 'dpop_proof' && second.inspection.kind !== 'dpop_proof') return pair(first, second);
  if (second.inspection.kind === 'dpop_proof' && first.inspection.kind !== 'dpop_proof') return pair(second, first);
  return null;
}

const VERDICT_LOOK: Record<DpopBinding['verdict'], [string, string]> = { bound: ['Bound', 'valid'], not_bound: ['Not bound', 'invalid'], unknown: ['Cannot tell', 'unverifiable'] };

/**
 * Paired from the answers shown beside it, never from the fields: typing runs ahead of the answers,
 * and the pairing must speak of the texts and keys the verdicts do.
 */
export function DpopBindingView({ first, second }: { first: InspectionState; second: InspectionState }) {
  const [binding, setBinding] = useState<DpopBinding | null>(null);
  const pair = proofPair(first, second);
  // A verdict can change with no change of text or key (a proof goes stale, a token expires): the pairing is asked again then too.
  const answeredAt = `${first.checkedAt}:${second.checkedAt}`;
  const proof = pair?.proof ?? null;
  const accessToken = pair?.accessToken ?? null;
  const proofKey = pair?.proofKey ?? null;
  const accessTokenKey = pair?.accessTokenKey ?? null;
  const proofPick = pair?.proofPick ?? 0;
  const accessTokenPick = pair?.accessTokenPick ?? 0;
  useEffect(() => {
    setBinding(null);
    if (proof === null || accessToken === null) return;
    let current = true;
    unwrap(api().tokens.dpopBinding({ proof, proofKey, proofPick, accessToken, accessTokenKey, accessTokenPick })).then(
      (answer) => current && setBinding(answer.binding),
      // Each side's own verdict already says what is wrong with it; no pairing is shown.
      () => current && setBinding(null),
    );
    return () => {
      current = false;
    };
  }, [proof, proofKey, proofPick, accessToken, accessTokenKey, accessTokenPick, answeredAt]);
  if (!binding) return null;
  const [word, tone] = VERDICT_LOOK[binding.verdict];
  const toneOf = (state: string) => (state === 'matches' ? 'ok' : state === 'differs' ? 'bad' : undefined);
  return (
    <section className="panel" aria-label="DPoP binding">
      <h3>DPoP binding</h3>
      <p className={`verdict-banner compact ${tone}`} data-testid="dpop-binding">
        <strong>{word}</strong>
        <span className="verdict-summary small">{binding.summary}</span>
      </p>
      <dl className="facts">
        <dt>
          <span className="mono">ath</span> (the proof names this token)
        </dt>
        <dd className={toneOf(binding.ath)}>{STATE_WORDS[binding.ath]}</dd>
        <dt>
          <span className="mono">cnf.jkt</span> (the token names the proof's key)
        </dt>
        <dd className={toneOf(binding.jkt)}>
          {STATE_WORDS[binding.jkt]}
          {binding.tokenThumbprint && <span className="mono wrap-anywhere small"> · token: {binding.tokenThumbprint}</span>}
          {binding.proofThumbprint && <span className="mono wrap-anywhere small"> · proof's key: {binding.proofThumbprint}</span>}
        </dd>
      </dl>
    </section>
  );
}
