/**
 * The library: the runs (open ones first), and the templates, built in and imported, each with
 * what it goes through and what it applies to. Importing asks main for the YAML file; an invalid
 * one is refused with its line and the reason, shown as the core words it.
 */
import { useCallback, useEffect, useState } from 'react';
import type { RunSummary, TemplateInfo } from '../../../shared/playbooks';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { utcStamp } from '../../ui/timestamp';
import { useAction } from '../../ui/useAction';
import { appliesToText, PHASE_LABELS, phasesOf, RUN_STATE_LABELS } from './labels';

const PAGE = 50;

interface Runs {
  open: RunSummary[];
  closed: RunSummary[];
  total: number;
  /** How many of all runs (newest first) were read for the closed list. */
  read: number;
}

function RunsTable({ runs, onOpen }: { runs: RunSummary[]; onOpen(id: string): void }) {
  return (
    <table className="table compact runs-table" aria-label="Runs">
      <thead>
        <tr>
          <th scope="col">Title</th>
          <th scope="col">Playbook</th>
          <th scope="col">Credential</th>
          <th scope="col">State</th>
          <th scope="col">Started</th>
          <th scope="col">Progress</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id}>
            <td>
              <button type="button" className="link-button" onClick={() => onOpen(run.id)} title={run.title}>
                {run.title}
              </button>
            </td>
            <td className="truncate" title={`${run.templateName} v${run.templateVersion}`}>
              {run.templateName} <span className="muted">v{run.templateVersion}</span>
            </td>
            <td className="truncate">
              {run.credentialName ?? <span className="muted">none</span>}
              {run.credentialDeleted && <span className="muted"> (deleted)</span>}
            </td>
            <td>
              {RUN_STATE_LABELS[run.state]}
              {run.interrupted && <span className="warn"> · interrupted</span>}
              {run.failed > 0 && <span className="bad"> · {run.failed} failed</span>}
            </td>
            <td className="mono">{utcStamp(run.startedAt)}</td>
            <td>
              <span className="progress-cell">
                <progress aria-label={`Progress of ${run.title}`} max={run.steps} value={run.settled} /> {run.settled}/{run.steps}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface LibraryProps {
  templates: TemplateInfo[] | null;
  /** Reads the templates again (after an import). */
  reloadTemplates(): Promise<void>;
  onOpenRun(id: string): void;
  onStart(template: TemplateInfo): void;
}

export function Library({ templates, reloadTemplates, onOpenRun, onStart }: LibraryProps) {
  const [runs, setRuns] = useState<Runs | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const importing = useAction();
  const exporting = useAction();

  const loadRuns = useCallback(async (read: number) => {
    const [open, all] = await Promise.all([unwrap(api().playbooks.listRuns({ state: 'open', limit: 200 })), unwrap(api().playbooks.listRuns({ limit: read }))]);
    setRuns({ open: open.runs, closed: all.runs.filter((run) => run.state !== 'open'), total: all.total, read });
  }, []);

  useEffect(() => {
    loadRuns(PAGE).catch((e: unknown) => setError(messageOf(e)));
  }, [loadRuns]);

  const shownRuns = runs ? [...runs.open, ...runs.closed] : [];
  return (
    <div className="library">
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <ErrorNote message={error} />

      <section aria-labelledby="runs-title" className="panel">
        <header className="row">
          <h3 id="runs-title">Runs</h3>
          <span className="muted small">{runs ? `${runs.open.length} open · ${runs.total} in all` : ''}</span>
        </header>
        {runs && runs.total === 0 && <p className="muted">No run yet. Start one from a playbook below, or from a credential in the Inventory (Start playbook…).</p>}
        {runs && shownRuns.length > 0 && <RunsTable runs={shownRuns} onOpen={onOpenRun} />}
        {runs && runs.read < runs.total && (
          <button type="button" className="small-button" onClick={() => void loadRuns(Math.min(runs.read + PAGE, 200)).catch((e: unknown) => setError(messageOf(e)))} disabled={runs.read >= 200}>
            Show older runs
          </button>
        )}
      </section>

      <section aria-labelledby="templates-title" className="panel">
        <header className="row">
          <h3 id="templates-title">Templates</h3>
          <span className="spacer" />
          <button
            type="button"
            disabled={importing.busy}
            aria-busy={importing.busy}
            onClick={() =>
              void importing.run(async () => {
                setNotice(null);
                const { template } = await unwrap(api().playbooks.importTemplate({}));
                if (!template) return;
                setNotice(`Imported ${template.template.name} v${template.template.version}.`);
                await reloadTemplates();
              })
            }
          >
            Import template…
          </button>
        </header>
        {importing.error && (
          <div role="alert" className="import-refusal">
            <strong>Not imported.</strong>
            <div className="note mono">{importing.error}</div>
          </div>
        )}
        <ErrorNote message={exporting.error} />
        {templates && (
          <table className="table compact templates-table" aria-label="Playbook templates">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Version</th>
                <th scope="col">Phases</th>
                <th scope="col">Steps</th>
                <th scope="col">Applies to</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {templates.map(({ template, source, importedAt }) => (
                <tr key={`${template.id}@${template.version}`}>
                  <th scope="row">
                    <span className="template-name">{template.name}</span>
                    <span className="muted small block">
                      <span className="mono">{template.id}</span> · {source === 'builtin' ? 'built in' : `imported ${importedAt ? utcStamp(importedAt) : ''}`}
                    </span>
                  </th>
                  <td className="mono">v{template.version}</td>
                  <td className="small">{phasesOf(template.steps).map((phase) => PHASE_LABELS[phase]).join(' → ')}</td>
                  <td className="mono">{template.steps.length}</td>
                  <td className="small">{appliesToText(template.appliesTo)}</td>
                  <td className="row-actions">
                    <button type="button" className="small-button" aria-label={`Start a run of ${template.name}`} onClick={() => onStart({ template, source, importedAt })}>
                      Start run…
                    </button>
                    <button
                      type="button"
                      className="small-button"
                      aria-label={`Export ${template.name} v${template.version}`}
                      disabled={exporting.busy}
                      onClick={() =>
                        void exporting.run(async () => {
                          setNotice(null);
                          const { saved } = await unwrap(api().playbooks.exportTemplate({ templateId: template.id, version: template.version }));
                          if (saved) setNotice(`Exported ${template.name} v${template.version} to ${saved.fileName}.`);
                        })
                      }
                    >
                      Export…
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
