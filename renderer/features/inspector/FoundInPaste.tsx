/**
 * A paste holding several tokens (a token endpoint's JSON answer, two tokens on their own lines):
 * which one the verdict below is for, and a button to read each other one instead.
 */
import { pasteTokenLabel, type Inspection } from '../../../shared/tokens';

export function FoundInPaste({ inPaste, onPick }: { inPaste: Inspection['inPaste']; onPick: (index: number) => void }) {
  if (!inPaste || inPaste.names.length < 2) return null;
  return (
    <div className="found-in-paste" role="group" aria-label="Found in the paste">
      <span className="muted small">{inPaste.more ? `The paste holds more than ${inPaste.names.length} tokens; the first ${inPaste.names.length}:` : `The paste holds ${inPaste.names.length} tokens. Reading:`}</span>
      <div className="segmented">
        {inPaste.names.map((_, i) => (
          <button type="button" key={i} className="mono" aria-pressed={i === inPaste.picked} onClick={() => onPick(i)}>
            {pasteTokenLabel(inPaste.names, i)}
          </button>
        ))}
      </div>
    </div>
  );
}
