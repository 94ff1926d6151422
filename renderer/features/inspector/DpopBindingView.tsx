/**
 * When one of the two tokens compared is a DPoP proof and the other the access token it came with:
 * whether they go together, as a resource server pairs them (main decides; the screen only shows).
 */
import { useEffect, useState } from 'react';
import type { DpopBinding, Inspection } from '../../../shared/tokens';
import { api, unwrap } from '../../api';

const STATE_WORDS: Record<DpopBinding['ath'] | DpopBinding['jkt'], string> = {
  matches: 'matches',
  differs: 'differs',
  absent: 'absent',
  malformed: 'malformed in the token',
  'not-read': 'not readable in the token',
};

/** The proof and the access token among the two pasted, proof first; null when neither is a proof. */
export function proofPair(first: { text: string; inspection: Inspection | null }, second: { text: string; inspection: Inspection | null }): { proof: string; accessToken: string } | null {
  if (!first.inspection || !second.inspection) return null;
  // Any second token pairs, whatever its verdict (a short opaque one reads unparseable): main decides what it can tell.
  if (first.inspection.kind === 'dpop_proof' && second.inspection.kind !== 'dpop_proof') return { proof: first.text, accessToken: second.text };
  if (second.inspection.kind === 'dpop_proof' && first.inspection.kind !== 'dpop_proof') return { proof: second.text, accessToken: first.text };
  return null;
}

const VERDICT_LOOK: Record<DpopBinding['verdict'], [string, string]> = { bound: ['Bound', 'valid'], not_bound: ['Not bound', 'invalid'], unknown: ['Cannot tell', 'unverifiable'] };

export function DpopBindingView({ pair }: { pair: { proof: string; accessToken: string } | null }) {
  const [binding, setBinding] = useState<DpopBinding | null>(null);
  const proof = pair?.proof ?? null;
  const accessToken = pair?.accessToken ?? null;
  useEffect(() => {
    setBinding(null);
    if (proof === null || accessToken === null) return;
    let current = true;
    unwrap(api().tokens.dpopBinding({ proof, accessToken })).then(
      (answer) => current && setBinding(answer.binding),
      // Each side's own verdict already says what is wrong with it; no pairing is shown.
      () => current && setBinding(null),
    );
    return () => {
      current = false;
    };
  }, [proof, accessToken]);
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
