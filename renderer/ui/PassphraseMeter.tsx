import { assessPassphrase, type PassphraseAssessment } from '../../shared/passphrase';

const LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'];

export function usePassphraseAssessment(passphrase: string): PassphraseAssessment | null {
  return passphrase ? assessPassphrase(passphrase) : null;
}

/** The strength meter: a bar, a word, and the reason a passphrase is refused. */
export function PassphraseMeter({ assessment }: { assessment: PassphraseAssessment | null }) {
  const score = assessment?.score ?? 0;
  return (
    <div className="meter" aria-live="polite">
      <meter aria-label="Passphrase strength" min={0} max={4} low={2} high={3} optimum={4} value={assessment ? score : 0} />
      <span className="meter-label">{assessment ? `Strength: ${LABELS[score]}` : 'Strength: —'}</span>
      {assessment?.problem && <span className="meter-problem">{assessment.problem}</span>}
    </div>
  );
}
