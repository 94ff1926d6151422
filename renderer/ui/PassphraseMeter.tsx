import { useEffect, useState } from 'react';
import type { PassphraseAssessment } from '../../shared/passphrase';

const LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'];

type Assessor = typeof import('../../shared/passphrase').assessPassphrase;

/**
 * zxcvbn and its dictionaries are half the renderer's code, and only the screens that set a
 * passphrase use them: loaded on the first such screen, not on every launch to unlock.
 */
let assessor: Assessor | null = null;
let loading: Promise<Assessor> | null = null;
function loadAssessor(): Promise<Assessor> {
  loading ??= import('../../shared/passphrase').then(
    (module) => (assessor = module.assessPassphrase),
    (error: unknown) => {
      // The next screen that needs it tries again rather than inheriting a failed load.
      loading = null;
      throw error;
    },
  );
  return loading;
}

/** null until there is a passphrase to judge and the judge has loaded (a moment, from disk). */
export function usePassphraseAssessment(passphrase: string): PassphraseAssessment | null {
  const [assess, setAssess] = useState<Assessor | null>(() => assessor);
  useEffect(() => {
    if (assess) return;
    let current = true;
    loadAssessor().then((loaded) => current && setAssess(() => loaded), () => undefined);
    return () => {
      current = false;
    };
  }, [assess]);
  return passphrase && assess ? assess(passphrase) : null;
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
