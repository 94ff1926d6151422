/**
 * Inspector: paste anything, get a verdict at once. Everything happens offline in main; what is
 * pasted lives only in this screen's state and is gone when the screen is left or the vault locks.
 */
import { useState } from 'react';
import type { KeySource, TokenPolicy } from '../../../shared/tokens';
import { ErrorNote } from '../../ui/ErrorNote';
import { CompareView } from './CompareView';
import { FoundInPaste } from './FoundInPaste';
import { InspectionView } from './InspectionView';
import { KeyPicker } from './KeyPicker';
import { PolicyPicker } from './PolicyPicker';
import { useInspection } from './useInspection';

export function InspectorScreen() {
  const [mode, setMode] = useState<'inspect' | 'compare'>('inspect');
  const [token, setToken] = useState('');
  // Which token to read when the paste holds several; a new paste starts again from the first.
  const [pick, setPick] = useState(0);
  const [key, setKey] = useState<KeySource | null>(null);
  const [policy, setPolicy] = useState<TokenPolicy | null | 'incomplete'>(null);
  const { inspection, checkedAt, error } = useInspection(policy === 'incomplete' ? '' : token, key, policy === 'incomplete' ? null : policy, pick);
  return (
    <section aria-labelledby="inspector-title" className="screen inspector">
      <header className="screen-header">
        <h2 id="inspector-title">Inspector</h2>
        <div className="segmented" role="group" aria-label="Mode">
          <button type="button" aria-pressed={mode === 'inspect'} onClick={() => setMode('inspect')}>
            Inspect
          </button>
          <button type="button" aria-pressed={mode === 'compare'} onClick={() => setMode('compare')}>
            Compare two
          </button>
        </div>
      </header>
      {mode === 'compare' ? (
        <CompareView />
      ) : (
        <>
          <textarea
            aria-label="Token"
            className="mono token-input"
            rows={4}
            spellCheck={false}
            autoComplete="off"
            placeholder="Paste a JWT, a JWE, an Authorization header or any token. It is inspected offline and never stored."
            value={token}
            onChange={(e) => {
              setToken(e.target.value);
              setPick(0);
            }}
          />
          <div className="inspector-options">
            <KeyPicker onChange={setKey} />
            <PolicyPicker onChange={setPolicy} />
          </div>
          <ErrorNote message={error} />
          {inspection && <FoundInPaste inPaste={inspection.inPaste} onPick={setPick} />}
          {inspection && <InspectionView inspection={inspection} checkedAt={checkedAt} />}
        </>
      )}
    </section>
  );
}
