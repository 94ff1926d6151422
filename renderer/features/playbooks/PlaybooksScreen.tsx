/**
 * Playbooks: the library of templates and runs, or the run open. A start asked for from the
 * inventory (its credential's "Start playbook…") opens the start form here.
 */
import { useCallback, useEffect, useState } from 'react';
import type { TemplateInfo } from '../../../shared/playbooks';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { Library } from './Library';
import { RunView } from './RunView';
import { StartRunDialog } from './StartRunDialog';
import { usePlaybooks } from './store';

export function PlaybooksScreen() {
  const openRunId = usePlaybooks((s) => s.openRunId);
  const startRequest = usePlaybooks((s) => s.startRequest);
  const { openRun, clearStartRequest } = usePlaybooks.getState();
  const [templates, setTemplates] = useState<TemplateInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState<TemplateInfo | null>(null);

  const reloadTemplates = useCallback(async () => {
    setTemplates((await unwrap(api().playbooks.listTemplates({}))).templates);
  }, []);

  useEffect(() => {
    reloadTemplates().catch((e: unknown) => setError(messageOf(e)));
  }, [reloadTemplates]);

  const closeStart = () => {
    setStarting(null);
    clearStartRequest();
  };

  return (
    <section aria-labelledby="playbooks-title" className="screen playbooks">
      <header className="screen-header">
        <h2 id="playbooks-title">Playbooks</h2>
      </header>
      <ErrorNote message={error} />
      {openRunId ? (
        <RunView key={openRunId} runId={openRunId} onBack={() => openRun(null)} />
      ) : (
        <Library templates={templates} reloadTemplates={reloadTemplates} onOpenRun={openRun} onStart={setStarting} />
      )}
      {templates && (starting || startRequest) && (
        <StartRunDialog
          templates={templates}
          template={startRequest ? null : starting}
          credential={startRequest}
          onCancel={closeStart}
          onStarted={(run) => {
            closeStart();
            openRun(run.id);
          }}
        />
      )}
    </section>
  );
}
