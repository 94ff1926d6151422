/**
 * The playbooks:* channels: the template library, runs and their steps, the dry run and the report.
 * Tokens and secrets given to a run stay in main, sealed in the vault; what goes back is the run's
 * steps, timeline, counts and fingerprints.
 */
import { basename } from 'node:path';
import { displayFingerprint, fingerprintSecret } from '../credentials/fingerprint';
import { getCredential } from '../credentials/store';
import { CoreError } from '../errors';
import type { Platform } from '../platform';
import type { Handlers } from '../router';
import type { BulkRevocations } from '../servers/bulk/service';
import type { ServerClients } from '../servers/connect';
import { writeFileAtomic } from '../vault/files';
import type { OpenVault } from '../vault/open-vault';
import type { VaultService } from '../vault/vault-service';
import { dryRun } from './dry-run';
import { PlaybookEngine } from './engine';
import { renderReport } from './report/render-report';
import { credentialExists, fullTimeline, readInputs, readRun } from './run-store';
import { exportTemplate, findTemplate, importTemplate, listTemplates } from './templates-store';

type PlaybookHandlers = Pick<Handlers, Extract<keyof Handlers, `playbooks:${string}`>>;

export interface PlaybookServices {
  vault: VaultService;
  platform: Platform;
  clients: ServerClients;
  bulk: BulkRevocations;
  now(): Date;
  /** Tests pass their own to stop steps at chosen points; by default one engine per core. */
  engine?: PlaybookEngine;
}

const REPORT_FILES = {
  markdown: { extension: 'md', filter: 'Markdown' },
  html: { extension: 'html', filter: 'Web page (printable)' },
} as const;

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'run';
}

/**
 * The secrets this run is about, as keyed fingerprints: the credential's secret now, the one the
 * run started with, and every earlier one its history names. A word of the report that has one of
 * these fingerprints is that secret, pasted where it should not be.
 */
function knownSecrets(vault: OpenVault, run: ReturnType<typeof readRun>): (word: string) => boolean {
  const known = new Set<string>();
  const oldSecret = readInputs(vault, run).oldSecretFingerprint;
  if (oldSecret) known.add(oldSecret);
  if (run.credentialId && credentialExists(vault, run.credentialId)) {
    const { credential, history } = getCredential(vault, run.credentialId, new Date());
    if (credential.fingerprint) known.add(credential.fingerprint);
    for (const entry of history) for (const change of entry.changes) for (const fp of change.match(/fp:[0-9a-f:]+/g) ?? []) known.add(fp);
  }
  if (known.size === 0) return () => false;
  return (word) => known.has(displayFingerprint(fingerprintSecret(vault.fingerprintKey, word)));
}

export function renderRunReport(vault: OpenVault, runId: string, now: Date, generatedBy = 'user') {
  const run = readRun(vault, runId);
  const summary = credentialExists(vault, run.credentialId) ? getCredential(vault, run.credentialId!, now).credential : null;
  return renderReport({
    run: {
      id: run.id,
      templateId: run.templateId,
      templateVersion: run.templateVersion,
      title: run.title,
      credentialId: run.credentialId,
      credentialName: run.credentialName,
      state: run.state,
      startedAt: run.startedAt,
      completedAt: run.completedAt,
      steps: run.steps,
    },
    timeline: fullTimeline(vault, runId),
    templateName: run.templateName,
    credential: summary && { name: summary.name, kind: summary.kind, environment: summary.environment, owner: summary.owner, fingerprint: summary.fingerprint },
    isKnownSecret: knownSecrets(vault, run),
    generatedAt: now,
    generatedBy,
  });
}

export function playbookHandlers(services: PlaybookServices): PlaybookHandlers {
  const { vault, platform, clients, bulk, now } = services;
  const open = (): OpenVault => vault.require();
  const engine = services.engine ?? new PlaybookEngine({ vault: open, now, clients, bulk });

  return {
    'playbooks:listTemplates': async () => ({ templates: await listTemplates(open) }),
    'playbooks:importTemplate': () => importTemplate(open, platform, now),
    'playbooks:exportTemplate': ({ templateId, version }) => exportTemplate(open, platform, templateId, version),
    'playbooks:start': async ({ templateId, templateVersion, credentialId, serverId, title }) =>
      engine.start((await findTemplate(open, templateId, templateVersion)).template, { credentialId, serverId, title }),
    'playbooks:listRuns': ({ state, offset, limit }) => engine.listRuns(state, offset, limit),
    'playbooks:get': ({ runId, timelineOffset, timelineLimit }) => engine.get(runId, timelineOffset, timelineLimit),
    'playbooks:completeStep': ({ runId, stepId, revision, evidence }) => engine.completeStep(runId, stepId, revision, evidence),
    'playbooks:decide': ({ runId, stepId, revision, value }) => engine.decide(runId, stepId, revision, value),
    'playbooks:skipStep': ({ runId, stepId, revision, reason }) => engine.skipStep(runId, stepId, revision, reason),
    'playbooks:runStep': ({ runId, stepId, revision, confirm, input }) => engine.runStep(runId, stepId, revision, confirm, input),
    'playbooks:addEvidence': ({ runId, stepId, revision, note }) => engine.addEvidence(runId, stepId, revision, note),
    'playbooks:abandon': ({ runId, revision, reason }) => engine.abandon(runId, revision, reason),
    'playbooks:dryRun': ({ runId }) => dryRun(open(), runId),
    'playbooks:reportPreview': ({ runId }) => ({ html: renderRunReport(open(), runId, now()).html }),
    'playbooks:report': async ({ runId, format }) => {
      const run = readRun(open(), runId);
      const file = REPORT_FILES[format];
      const path = await platform.chooseFile({
        mode: 'save',
        title: `Save the report of "${run.title}"`,
        defaultName: `playbook-${slug(run.title)}-${now().toISOString().slice(0, 10)}.${file.extension}`,
        filters: [{ name: file.filter, extensions: [file.extension] }],
      });
      if (path === null) return { saved: null };
      const vaultNow = open();
      const report = renderRunReport(vaultNow, runId, now());
      const fileName = basename(path);
      try {
        writeFileAtomic(path, format === 'markdown' ? report.markdown : report.html);
      } catch (error) {
        throw new CoreError('EXPORT_FAILED', `${fileName} could not be written (${(error as NodeJS.ErrnoException).code ?? 'error'}). Choose another folder and try again.`, { cause: error });
      }
      vaultNow.write((tx) => tx.audit({ action: 'playbook.reportExported', target: runId, detail: { run: run.title, format, file: fileName } }));
      return { saved: { fileName } };
    },
  };
}
