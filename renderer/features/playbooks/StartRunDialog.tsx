/**
 * Start a run: a playbook, the credential it is about (or none, for a blank run), the server its
 * automated steps act on (asked only when it has such steps) and the incident's title. From the
 * library the playbook is fixed and the credential is chosen; from the inventory the credential is
 * fixed and only playbooks for its kind are offered.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { CredentialSummary } from '../../../shared/credentials';
import type { RunView, TemplateInfo } from '../../../shared/playbooks';
import type { ServerSummary } from '../../../shared/servers';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { Field } from '../../ui/Field';
import { Modal } from '../../ui/Modal';
import { KIND_LABELS } from '../inventory/labels';
import { useAction } from '../../ui/useAction';
import { appliesTo, appliesToText, wantsServer } from './labels';
import type { StartRequest } from './store';

interface StartRunDialogProps {
  templates: TemplateInfo[];
  /** Started from the library: this playbook. */
  template: TemplateInfo | null;
  /** Started from the inventory: this credential. */
  credential: StartRequest | null;
  onCancel(): void;
  onStarted(run: RunView): void;
}

const keyOf = (info: TemplateInfo) => `${info.template.id}@${info.template.version}`;
const today = () => new Date().toISOString().slice(0, 10);

function facts(c: CredentialSummary): string {
  return `${KIND_LABELS[c.kind]}, ${c.environment}, ${c.locations.length} recorded ${c.locations.length === 1 ? 'location' : 'locations'}`;
}

const describe = (c: CredentialSummary) => `${c.name} (${facts(c)})`;

export function StartRunDialog({ templates, template, credential: fixed, onCancel, onStarted }: StartRunDialogProps) {
  const offered = useMemo(() => (fixed ? templates.filter((info) => appliesTo(info.template, fixed.kind)) : templates), [templates, fixed]);
  const [templateKey, setTemplateKey] = useState(template ? keyOf(template) : (offered[0] ? keyOf(offered[0]) : ''));
  const chosen = template ?? offered.find((info) => keyOf(info) === templateKey) ?? null;
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<CredentialSummary[] | null>(null);
  const [credentialId, setCredentialId] = useState<string>(fixed?.credentialId ?? '');
  const [fixedSummary, setFixedSummary] = useState<CredentialSummary | null>(null);
  const [servers, setServers] = useState<ServerSummary[] | null>(null);
  const [serverId, setServerId] = useState<string | null>(null);
  const [title, setTitle] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const starting = useAction();
  const latest = useRef(0);

  // The credentials a library start can choose from: those the playbook applies to, matching the search.
  const kinds = chosen?.template.appliesTo ?? [];
  const kindKey = kinds.join(',');
  useEffect(() => {
    if (fixed) return;
    const request = ++latest.current;
    const only = kindKey.split(',').filter(Boolean);
    const timer = setTimeout(() => {
      unwrap(api().credentials.list({ text: search.slice(0, 200), kind: only.length === 1 ? (only[0] as CredentialSummary['kind']) : undefined, limit: 200 })).then(
        ({ credentials }) => request === latest.current && setFound(credentials.filter((c) => only.length === 0 || only.includes(c.kind))),
        (e: unknown) => request === latest.current && setLoadError(messageOf(e)),
      );
    }, 150);
    return () => clearTimeout(timer);
  }, [fixed, search, kindKey]);

  useEffect(() => {
    if (!fixed) return;
    let current = true;
    unwrap(api().credentials.get({ id: fixed.credentialId })).then(
      ({ credential }) => current && setFixedSummary(credential),
      (e: unknown) => current && setLoadError(messageOf(e)),
    );
    return () => {
      current = false;
    };
  }, [fixed]);

  useEffect(() => {
    let current = true;
    unwrap(api().servers.list()).then(
      (answer) => current && setServers(answer.servers),
      (e: unknown) => current && setLoadError(messageOf(e)),
    );
    return () => {
      current = false;
    };
  }, []);

  const credential = fixed ? fixedSummary : (found?.find((c) => c.id === credentialId) ?? null);
  const askServer = chosen ? wantsServer(chosen.template) : false;
  // The credential's own auth server, unless the responder chose otherwise.
  const ownServer = credential?.authServerId && servers?.some((s) => s.id === credential.authServerId) ? credential.authServerId : '';
  const server = serverId ?? ownServer;
  const defaultTitle = chosen ? `${chosen.template.name}${credential ? `: ${credential.name}` : fixed ? `: ${fixed.credentialName}` : ''} (${today()})` : '';
  const shownTitle = title ?? defaultTitle;
  const titleError = touched && !shownTitle.trim() ? 'Name the incident' : shownTitle.length > 200 ? 'A title is at most 200 characters' : undefined;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (!chosen || !shownTitle.trim() || shownTitle.length > 200) return;
    const run = await starting.run(() =>
      unwrap(
        api().playbooks.start({
          templateId: chosen.template.id,
          templateVersion: chosen.template.version,
          credentialId: fixed ? fixed.credentialId : credentialId || null,
          serverId: askServer && server ? server : null,
          title: shownTitle.trim(),
        }),
      ),
    );
    if (run) onStarted(run);
  }

  return (
    <Modal labelledBy="start-run-title" onClose={() => !starting.busy && onCancel()} className="start-run-dialog">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <h2 id="start-run-title">{fixed ? `Start a playbook for ${fixed.credentialName}` : `Start a run of ${chosen?.template.name ?? 'a playbook'}`}</h2>
        {fixed ? (
          offered.length === 0 ? (
            <p>No playbook applies to {KIND_LABELS[fixed.kind]} credentials. Import one that does, or start a blank run from the library.</p>
          ) : (
            <Field id="start-template" label="Playbook" hint={chosen ? `${chosen.template.steps.length} steps · for ${appliesToText(chosen.template.appliesTo)}` : undefined}>
              <select id="start-template" value={templateKey} onChange={(e) => setTemplateKey(e.target.value)}>
                {offered.map((info) => (
                  <option key={keyOf(info)} value={keyOf(info)}>
                    {info.template.name} (v{info.template.version})
                  </option>
                ))}
              </select>
            </Field>
          )
        ) : (
          chosen && <p className="muted">{chosen.template.description || `${chosen.template.steps.length} steps.`}</p>
        )}

        {fixed ? (
          <p>
            Credential: <strong>{fixed.credentialName}</strong>
            {fixedSummary && <span className="muted"> ({facts(fixedSummary)}). One checklist item is made for each recorded location.</span>}
          </p>
        ) : (
          <div className="form-grid two">
            <Field id="start-credential-search" label="Find a credential" hint={`This playbook is for ${appliesToText(kinds)}.`}>
              <input id="start-credential-search" type="search" value={search} maxLength={200} autoComplete="off" onChange={(e) => setSearch(e.target.value)} />
            </Field>
            <Field id="start-credential" label="Credential" hint="One checklist item is made for each of its recorded locations.">
              <select id="start-credential" value={credentialId} onChange={(e) => setCredentialId(e.target.value)}>
                <option value="">None: a blank run</option>
                {(found ?? []).map((c) => (
                  <option key={c.id} value={c.id}>
                    {describe(c)}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        )}

        {askServer && (
          <Field
            id="start-server"
            label="Server for the automated steps"
            hint={servers && servers.length === 0 ? 'No server is set up: its automated steps are done by hand and skipped with a note.' : 'Without one, the steps that act on a server are done by hand and skipped with a note.'}
          >
            <select id="start-server" value={server} onChange={(e) => setServerId(e.target.value)}>
              <option value="">None</option>
              {(servers ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.issuer})
                </option>
              ))}
            </select>
          </Field>
        )}

        <Field id="start-title" label="Incident title" error={titleError}>
          <input id="start-title" value={shownTitle} maxLength={220} aria-invalid={Boolean(titleError)} onChange={(e) => setTitle(e.target.value)} />
        </Field>

        <ErrorNote message={starting.error ?? loadError} />
        <div className="row dialog-actions">
          <span className="spacer" />
          <button type="button" onClick={onCancel} disabled={starting.busy}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={starting.busy || !chosen} aria-busy={starting.busy}>
            Start run
          </button>
        </div>
      </form>
    </Modal>
  );
}
