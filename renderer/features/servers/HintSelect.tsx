import { TOKEN_HINTS, type TokenHint } from '../../../shared/servers';
import { HINT_LABELS } from './labels';

/** token_type_hint: which kind of token this is, so the server looks it up faster. */
export function HintSelect({ id, value, onChange }: { id: string; value: TokenHint | null; onChange(hint: TokenHint | null): void }) {
  return (
    <select id={id} value={value ?? 'none'} onChange={(e) => onChange(e.target.value === 'none' ? null : (e.target.value as TokenHint))}>
      <option value="none">{HINT_LABELS.none}</option>
      {TOKEN_HINTS.map((h) => (
        <option key={h} value={h}>
          {HINT_LABELS[h]}
        </option>
      ))}
    </select>
  );
}
