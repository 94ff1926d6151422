/**
 * The leaks:* channels: scan pasted text or a chosen file, follow and cancel the scan, read its
 * findings, and start the rotation playbook of each matched credential with the leak as evidence.
 */
import { claimInstantMs } from '../../../shared/claim-meanings';
import type { LeakFinding } from '../../../shared/leaks';
import { LEAK_PLAYBOOK_FOR_KIND } from '../../../shared/leaks';
import type { PlaybookTemplate } from '../../../shared/playbooks';
import type { TokenClaim } from '../../../shared/tokens';
import { CoreError } from '../errors';
import type { Platform } from '../platform';
import type { PlaybookEngine } from '../playbooks/engine';
import { credentialExists } from '../playbooks/run-store';
import { findTemplate } from '../playbooks/templates-store';
import type { Handlers } from '../router';
import { inspectToken } from '../tokens/inspect';
import type { OpenVault } from '../vault/open-vault';
import type { VaultService } from '../vault/vault-service';
import type { InspectJwt } from './describe-finding';
import { leakEvidence } from './leak-evidence';
import { LeakScans } from './leak-scans';

type LeakHandlers = Pick<Handlers, Extract<keyof Handlers, `leaks:${string}`>>;

export interface LeakServices {
  vault: VaultService;
  platform: Platform;
  engine: PlaybookEngine;
  scans: LeakScans;
  now(): Date;
}

const claimText = (claims: TokenClaim[], name: string): string | null => {
  const claim = claims.find((c) => c.name === name);
  if (!claim) return null;
  try {
    const value: unknown = JSON.parse(claim.value);
    return typeof value === 'string' ? value : claim.value;
  } catch {
    return claim.value;
  }
};

/** The instant a token's exp names, in ISO form, or null. */
function expiry(claims: TokenClaim[]): string | null {
  const exp = claims.find((c) => c.name === 'exp');
  const ms = exp ? claimInstantMs('exp', exp.value) : null;
  return ms === null ? null : new Date(ms).toISOString();
}

/** The inspector without a key or policy: never a fetch, never a vault secret. */
export function offlineJwtInspector(now: () => Date): InspectJwt {
  const refuse = (): never => {
    throw new CoreError('INVALID_INPUT', 'A leak scan inspects without keys.');
  };
  return async (token) => {
    const inspection = await inspectToken({ token, key: null, policy: null }, { nowMs: now().getTime(), credentialSecret: refuse, serverJwks: refuse });
    return {
      verdict: inspection.verdict,
      summary: inspection.summary,
      issuer: claimText(inspection.claims, 'iss'),
      subject: claimText(inspection.claims, 'sub'),
      expiresAt: expiry(inspection.claims),
      findings: inspection.findings,
    };
  };
}

/** The chosen findings grouped by the credential they are; a finding of no credential is refused. */
function byCredential(findings: LeakFinding[], chosen: string[]): Map<string, { match: LeakFinding['matches'][number]; findings: LeakFinding[] }> {
  const groups = new Map<string, { match: LeakFinding['matches'][number]; findings: LeakFinding[] }>();
  for (const id of new Set(chosen)) {
    const finding = findings.find((f) => f.id === id);
    if (!finding) throw new CoreError('INVALID_INPUT', `Finding ${id} is not in this scan. Scan again.`);
    if (finding.matches.length === 0) throw new CoreError('INVALID_INPUT', `${finding.masked} is not in the inventory, so there is no playbook to start for it. Rotate it at its issuer (${finding.provider}), or add it to the inventory first.`);
    for (const match of finding.matches) {
      const group = groups.get(match.credentialId) ?? { match, findings: [] };
      group.findings.push(finding);
      groups.set(match.credentialId, group);
    }
  }
  return groups;
}

export function leakHandlers(services: LeakServices): LeakHandlers {
  const { vault, platform, engine, scans, now } = services;
  const open = (): OpenVault => vault.require();

  return {
    'leaks:scanText': ({ text, source }) => {
      open();
      return scans.scanText(text, source);
    },
    'leaks:scanFile': async ({ source }) => {
      open();
      const path = await platform.chooseFile({ mode: 'open', title: 'Choose a log or text file to scan for secrets', filters: [{ name: 'Logs and text', extensions: ['log', 'txt', 'json', 'yaml', 'yml', 'env', 'out', 'gz'] }, { name: 'All files', extensions: ['*'] }] });
      if (path === null) return { scan: null };
      return { scan: await scans.scanFile(path, source) };
    },
    'leaks:status': ({ scanId }) => scans.status(scanId),
    'leaks:cancel': ({ scanId }) => scans.cancel(scanId),
    'leaks:findings': ({ scanId }) => scans.findings(scanId),
    'leaks:discard': ({ scanId }) => {
      scans.discard(scanId);
      return {};
    },
    'leaks:startPlaybooks': async ({ scanId, findingIds, templates }) => {
      const { status, findings } = scans.finished(scanId);
      const groups = byCredential(findings, findingIds);
      // Everything is checked before any run starts, so a wrong choice starts nothing.
      const chosen = new Map<string, PlaybookTemplate>();
      for (const [credentialId, { match }] of groups) {
        const template = (await findTemplate(open, templates[credentialId] ?? LEAK_PLAYBOOK_FOR_KIND[match.kind])).template;
        if (template.appliesTo.length > 0 && !template.appliesTo.includes(match.kind)) {
          throw new CoreError('INVALID_INPUT', `"${template.name}" is not for ${match.kind.replace('_', ' ')} credentials such as ${match.name}. Choose another playbook for it; nothing was started.`);
        }
        if (!credentialExists(open(), credentialId)) throw new CoreError('CREDENTIAL_NOT_FOUND', `${match.name} is no longer in the inventory. Scan again; nothing was started.`);
        chosen.set(credentialId, template);
      }
      const runs: { runId: string; credentialId: string; credentialName: string; templateName: string }[] = [];
      const audit = () => open().write((tx) => tx.audit({ action: 'leaks.playbooksStarted', target: scanId, detail: { runs: runs.map((r) => r.runId), credentialIds: runs.map((r) => r.credentialId), findings: [...new Set(findingIds)].length } }));
      try {
        for (const [credentialId, group] of groups) {
          const template = chosen.get(credentialId)!;
          const run = engine.start(template, {
            credentialId,
            serverId: null,
            title: `Leak of ${group.match.name} in ${status.source.label || 'pasted text'}`.slice(0, 200),
            evidence: leakEvidence(status, group.findings, now()),
          });
          runs.push({ runId: run.id, credentialId, credentialName: group.match.name, templateName: template.name });
        }
      } catch (error) {
        if (runs.length === 0) throw error;
        // Some runs started before one failed: they stay (each is complete on its own), and the answer names them.
        audit();
        const message = error instanceof CoreError ? error.message : 'an unexpected error';
        throw new CoreError('INVALID_INPUT', `Started ${runs.map((r) => `"${r.templateName}" for ${r.credentialName}`).join(', ')}, then stopped: ${message} Open Playbooks to continue them; start the rest again from here.`, { cause: error });
      }
      audit();
      return { runs };
    },
  };
}
