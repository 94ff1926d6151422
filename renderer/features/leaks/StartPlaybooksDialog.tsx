/**
 * Asks before starting playbooks from a scan: one run per matched credential among the chosen
 * findings, each with the playbook its kind gets (or another that applies to the kind), and says
 * what goes into the runs as evidence.
 */
import { useEffect, useState } from 'react';
import type { LeakFinding, ScanStatus } from '../../../shared/leaks';
import type { TemplateInfo } from '../../../shared/playbooks';
import { api, messageOf, unwrap } from '../../api';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ErrorNote } from '../../ui/ErrorNote';
import { KIND_LABELS } from '../inventory/labels';
import { appliesTo } from '../playbooks/labels';
import { credentialsOf, defaultTemplateId, plural } from './labels';
import { useLeaks } from './store';

interface StartPlaybooksDialogProps {
  scan: ScanStatus;
  chosen: LeakFinding[];
  onClose(): void;
}

/** Each template id once, at its newest version. */
function newestById(templates: TemplateInfo[]): TemplateInfo[] {
  const byId = new Map<string, TemplateInfo>();
  for (const info of templates) {
    const seen = byId.get(info.template.id);
    if (!seen || seen.template.version < info.template.version) byId.set(info.template.id, info);
  }
  return [...byId.values()];
}

export function StartPlaybooksDialog({ scan, chosen, onClose }: StartPlaybooksDialogProps) {
  const credentials = credentialsOf(chosen);
  const [templates, setTemplates] = useState<TemplateInfo[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [picked, setPicked] = useState<Record<string, string>>({});

  useEffect(() => {
    let current = true;
    unwrap(api().playbooks.listTemplates({})).then(
      (answer) => current && setTemplates(newestById(answer.templates)),
      (e: unknown) => current && setLoadError(messageOf(e)),
    );
    return () => {
      current = false;
    };
  }, []);

  const nameOf = (id: string) => templates?.find((info) => info.template.id === id)?.template.name ?? id;
  const masks = [...new Set(chosen.map((f) => f.masked))];
  return (
    <ConfirmDialog
      title={`Start ${plural(credentials.length, 'playbook')}?`}
      confirmLabel={credentials.length === 1 ? 'Start playbook' : `Start ${credentials.length} playbooks`}
      danger={false}
      onCancel={onClose}
      onConfirm={async () => {
        const overrides = Object.fromEntries(credentials.filter(({ match }) => picked[match.credentialId] && picked[match.credentialId] !== defaultTemplateId(match)).map(({ match }) => [match.credentialId, picked[match.credentialId]]));
        const { runs } = await unwrap(api().leaks.startPlaybooks({ scanId: scan.scanId, findingIds: chosen.map((f) => f.id), templates: overrides }));
        useLeaks.getState().runsStarted(runs);
        onClose();
      }}
    >
      <p>One run starts for each credential, with a checklist item for each of its recorded copies.</p>
      <ul className="leak-start-list">
        {credentials.map(({ match, findings }) => {
          const offered = (templates ?? []).filter((info) => appliesTo(info.template, match.kind));
          const value = picked[match.credentialId] ?? defaultTemplateId(match);
          const selectId = `leak-template-${match.credentialId}`;
          return (
            <li key={match.credentialId}>
              <div>
                <strong>{match.name}</strong>{' '}
                <span className="muted">
                  · {KIND_LABELS[match.kind]} · {match.environment} · {plural(findings.length, 'finding')}
                </span>
              </div>
              {offered.length > 1 ? (
                <div className="row leak-template">
                  <label htmlFor={selectId} className="inline-label">
                    Playbook for {match.name}
                  </label>
                  <select id={selectId} value={value} onChange={(e) => setPicked((p) => ({ ...p, [match.credentialId]: e.target.value }))}>
                    {!offered.some((info) => info.template.id === value) && <option value={value}>{nameOf(value)}</option>}
                    {offered.map((info) => (
                      <option key={info.template.id} value={info.template.id}>
                        {info.template.name} (v{info.template.version})
                      </option>
                    ))}
                  </select>
                </div>
              ) : (
                <div className="small">
                  Playbook: <strong>{nameOf(value)}</strong> <span className="mono muted">{value}</span>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <p className="small">
        Evidence on each run’s first step: the source <strong>{scan.source.label || (scan.source.kind === 'file' ? 'the file opened' : 'pasted text')}</strong> and the masked{' '}
        {masks.length === 1 ? 'value' : 'values'} <span className="mono">{masks.slice(0, 6).join(', ')}</span>
        {masks.length > 6 && ` and ${masks.length - 6} more`}. The scanned text is not attached.
      </p>
      <ErrorNote message={loadError && `The playbook list could not be read (${loadError}); each credential gets the built-in playbook for its kind.`} />
    </ConfirmDialog>
  );
}
