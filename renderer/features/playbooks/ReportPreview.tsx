/**
 * The printable page of a run's report (the core renders it: self-contained, every user text
 * escaped, no script, its own CSP), shown in a sandboxed frame with a Print button.
 *
 * Why the sandbox is not simply `sandbox=""`: a srcdoc frame inherits this app's Content Security
 * Policy (`style-src 'self'`), so the report's inline <style> and style attributes would be refused
 * (the page shown unstyled, with a CSP error for each), and a script-less opaque-origin frame
 * cannot be printed either. So:
 * - the <style> text and the style attributes are taken out of the HTML before the frame parses it.
 *   This is done on the text, not with DOMParser, because Chromium applies the app's CSP to a
 *   DOMParser document too and reports every style attribute it meets. It is sound because the
 *   core escapes every user text (`<` and `"` never appear raw in text or attribute values), so
 *   `<style>` and ` style="` can only be its own markup;
 * - the frame gets `allow-same-origin allow-modals` and never `allow-scripts`: its document cannot
 *   run script (its own CSP and the app's forbid it too), submit forms, open windows or navigate
 *   the app. Same origin only lets this code, the parent, attach the stylesheet through the CSSOM
 *   (which CSP does not govern); allow-modals only lets Print open the print dialog for the frame.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { Modal } from '../../ui/Modal';

interface Prepared {
  srcdoc: string;
  css: string;
  /** Style attributes taken out, by the marker put on their element. */
  inline: [string, string][];
}

const MARK = 'data-report-style';
const STYLE_ELEMENT = /<style\b[^>]*>([\s\S]*?)<\/style>/gi;
const STYLE_ATTRIBUTE = /\sstyle="([^"]*)"/gi;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

function prepare(html: string): Prepared {
  const styles: string[] = [];
  const inline: [string, string][] = [];
  const srcdoc = html
    .replace(STYLE_ELEMENT, (_element, css: string) => {
      styles.push(css);
      return '';
    })
    .replace(STYLE_ATTRIBUTE, (_attribute, value: string) => {
      const key = String(inline.length);
      inline.push([key, value.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity])]);
      return ` ${MARK}="${key}"`;
    });
  return { srcdoc, css: styles.join('\n'), inline };
}

function styleFrame(frame: HTMLIFrameElement, prepared: Prepared): void {
  const doc = frame.contentDocument;
  const view = doc?.defaultView as (Window & typeof globalThis) | null | undefined;
  if (!doc || !view) return;
  const sheet = new view.CSSStyleSheet();
  sheet.replaceSync(prepared.css);
  doc.adoptedStyleSheets = [sheet];
  for (const [key, style] of prepared.inline) {
    const element = doc.querySelector<HTMLElement>(`[${MARK}="${key}"]`);
    if (element) element.style.cssText = style;
  }
}

export function ReportPreview({ runId, title, onClose }: { runId: string; title: string; onClose(): void }) {
  const [html, setHtml] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const frame = useRef<HTMLIFrameElement>(null);
  const prepared = useMemo(() => (html === null ? null : prepare(html)), [html]);

  useEffect(() => {
    let current = true;
    unwrap(api().playbooks.reportPreview({ runId })).then(
      (answer) => current && setHtml(answer.html),
      (e: unknown) => current && setError(messageOf(e)),
    );
    return () => {
      current = false;
    };
  }, [runId]);

  return (
    <Modal labelledBy="report-preview-title" onClose={onClose} className="report-dialog">
      <header className="row">
        <h2 id="report-preview-title">Printable page</h2>
        <span className="spacer" />
        <button type="button" className="primary" disabled={!ready} onClick={() => frame.current?.contentWindow?.print()}>
          Print…
        </button>
        <button type="button" onClick={onClose} autoFocus>
          Close
        </button>
      </header>
      <p className="muted small">The report as it prints: secrets appear only as fingerprints. Export report saves the same page as an HTML file.</p>
      <ErrorNote message={error} />
      {!prepared && !error && <p role="status">Rendering the report…</p>}
      {prepared && (
        <iframe
          ref={frame}
          className="report-frame"
          title={`Report: ${title}`}
          sandbox="allow-same-origin allow-modals"
          srcDoc={prepared.srcdoc}
          onLoad={(event) => {
            styleFrame(event.currentTarget, prepared);
            setReady(true);
          }}
        />
      )}
    </Modal>
  );
}
