/**
 * What to scan: a source label, and pasted text or a file main opens and streams. The text stays in
 * this component only, until main has it to scan: then it is cleared, so the secrets in it do not
 * stay on screen, and it is never kept anywhere else.
 */
import { useState } from 'react';
import { MAX_PASTE_CHARS } from '../../../shared/leaks';
import { api, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { Field } from '../../ui/Field';
import { useAction } from '../../ui/useAction';
import { bytes } from './labels';
import { useLeaks } from './store';

/** Forgets the scan shown before a new one replaces it; main drops its findings. */
function discardShown(): void {
  const previous = useLeaks.getState().scan;
  if (previous) api().leaks.discard({ scanId: previous.scanId }).catch(() => undefined);
}

export function ScanInput({ busy, compact }: { busy: boolean; compact: boolean }) {
  const source = useLeaks((s) => s.source);
  const { setSource, started } = useLeaks.getState();
  const [text, setText] = useState('');
  const action = useAction();
  const tooLong = text.length > MAX_PASTE_CHARS;
  const sourceError = source.trim().length > 200 ? 'A source is at most 200 characters' : undefined;
  const blocked = busy || action.busy || Boolean(sourceError);

  const scanText = () =>
    void action.run(async () => {
      const scan = await unwrap(api().leaks.scanText({ text, source: source.trim() }));
      // Main has the text now: the secrets in it do not stay on screen.
      setText('');
      discardShown();
      started(scan);
    });
  const scanFile = () =>
    void action.run(async () => {
      const { scan } = await unwrap(api().leaks.scanFile({ source: source.trim() }));
      if (!scan) return;
      discardShown();
      started(scan);
    });

  return (
    <section aria-label="What to scan" className="panel leak-input">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (text && !tooLong) scanText();
        }}
      >
        <Field id="leak-source" label="Source" error={sourceError} hint="Where the text came from. It labels the scan and goes into the evidence of a playbook started from it.">
          <input id="leak-source" value={source} maxLength={220} placeholder="e.g. CI build #4411 log" autoComplete="off" aria-invalid={Boolean(sourceError)} onChange={(e) => setSource(e.target.value)} />
        </Field>
        <label htmlFor="leak-text">Text to scan</label>
        <textarea
          id="leak-text"
          className="mono leak-text"
          rows={compact && !text ? 3 : 10}
          spellCheck={false}
          autoComplete="off"
          aria-describedby="leak-text-note"
          aria-invalid={tooLong}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="Paste a log, a config file, a chat export…"
        />
        <p id="leak-text-note" className={`small ${tooLong ? 'bad' : 'hint'}`}>
          {tooLong
            ? `That is ${bytes(text.length)} of text, more than can be pasted: save it to a file and open the file, which is read as a stream.`
            : 'The text stays on this machine and is never stored; only counts and fingerprints go to the audit log. It is cleared from this screen once scanned.'}
        </p>
        <div className="row wrap">
          <button type="submit" className="primary" disabled={blocked || !text || tooLong} aria-busy={action.busy}>
            Scan
          </button>
          <button type="button" disabled={blocked} onClick={scanFile}>
            Open file…
          </button>
          <span className="spacer" />
          <button type="button" disabled={!text} onClick={() => setText('')}>
            Clear text
          </button>
        </div>
        <ErrorNote message={action.error} />
      </form>
    </section>
  );
}
