/**
 * Leak triage through the real core router, with a real vault: pasted text whose secrets are in
 * the inventory (by fingerprint, and a private key by its public thumbprint in another form) or
 * not, JWTs read by the inspector, nothing secret in any answer or in the audit; files streamed
 * (large, gzip, UTF-16), refused (a directory, a missing file), cancelled, or ended by a lock;
 * playbooks started from a matched finding with the leak as evidence.
 */
import { createHash } from 'node:crypto';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LEAK_PLAYBOOK_FOR_KIND, type LeakFinding, type ScanStatus } from '../../shared/leaks';
import type { RunSummary, RunView } from '../../shared/playbooks';
import { BASE62, BASE32, buildLeakCorpus, PAST_EXP, pemOf, pick, rs256Jwt, seededRandom, seededRsaKey, weakHs256Jwt, writeSyntheticLog } from '../support/leak-corpus';
import { sampleCredential } from '../support/sample-credential';
import { useCoreWithVault } from '../support/core-with-vault';
import { STRONG_PASSPHRASE } from '../support/test-platform';


const t = useCoreWithVault();
const { invoke, value } = t;

async function untilSettled(scanId: string): Promise<ScanStatus> {
  for (;;) {
    const status = await value<ScanStatus>('leaks:status', { scanId });
    if (status.state !== 'running') return status;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
const auditEntries = async () => (await value<{ entries: { action: string; detail: Record<string, unknown> }[] }>('audit:list', { limit: 500 })).entries;
function file(name: string, content: string | Buffer): string {
  const path = join(t.platform.userDataDir, name);
  writeFileSync(path, content);
  t.platform.chosenFiles.push(path);
  return path;
}
const places = (findings: LeakFinding[]) => findings.map((f) => JSON.stringify(f.places)).sort();

const r = seededRandom(0x1eaf_c4a1);
const stripeKey = `sk_live_51${pick(r, BASE62, 97)}`;
const revokedToken = `ghp_${pick(r, BASE62, 36)}`;
const unknownAws = `AKIA${pick(r, BASE32, 16)}`;
const signingKey = seededRsaKey(r);
const storedPkcs8 = pemOf(signingKey, 'pkcs8');
const pastedPkcs1 = pemOf(signingKey, 'pkcs1');
const weakJwt = await weakHs256Jwt(r);
const expiredJwt = rs256Jwt(seededRsaKey(r), r, PAST_EXP);
const SECRETS = [stripeKey, revokedToken, unknownAws, weakJwt, expiredJwt, ...pastedPkcs1.split('\n').slice(1, -2), ...storedPkcs8.split('\n').slice(1, -2)];

const PASTE = [
  '2026-01-14T10:22:31Z deploy payments-api',
  `STRIPE_SECRET_KEY=${stripeKey}`,
  `> Authorization: Bearer ${stripeKey}`,
  `old GH_TOKEN=${revokedToken} (rotated last week)`,
  `aws_access_key_id = ${unknownAws}`,
  `Error: 401 for session ${weakJwt}`,
  `WARN stale id_token ${expiredJwt}`,
  '$ cat keys/signing.pem',
  pastedPkcs1.trimEnd(),
  `{"private_key": ${JSON.stringify(pastedPkcs1)}}`,
  'done.',
].join('\n');

async function stockInventory(): Promise<{ stripe: string; signing: string; revoked: string }> {
  const locations = (['ci_variable', 'kubernetes_secret', 'env_file'] as const).map((kind, i) => ({ kind, label: `copy ${i + 1}`, environment: 'production', confirmedAt: null }));
  const stripe = await value<{ id: string }>('credentials:create', { fields: sampleCredential({ name: 'stripe-live', locations }), secret: stripeKey });
  const signing = await value<{ id: string }>('credentials:create', { fields: sampleCredential({ name: 'jwt-signing', kind: 'signing_key', provider: 'own_auth_server', owner: 'team-identity' }), secret: storedPkcs8 });
  const revoked = await value<{ id: string }>('credentials:create', { fields: sampleCredential({ name: 'ci-github', kind: 'service_token', provider: 'github', owner: null, environment: 'ci' }), secret: revokedToken });
  await value('credentials:mark', { id: revoked.id, as: 'revoked', note: 'rotated' });
  return { stripe: stripe.id, signing: signing.id, revoked: revoked.id };
}

describe('leaks:scanText', () => {
  it('matches pasted secrets against the inventory, explains the rest, and keeps no secret anywhere', async () => {
    const ids = await stockInventory();
    const status = await value<ScanStatus>('leaks:scanText', { text: PASTE, source: 'CI build #4411' });
    expect(status).toMatchObject({ state: 'done', source: { kind: 'paste', label: 'CI build #4411' }, lines: 11 + pastedPkcs1.trimEnd().split('\n').length - 1, found: 6, error: null });
    const answer = await value<{ status: ScanStatus; findings: LeakFinding[] }>('leaks:findings', { scanId: status.scanId });
    const { findings } = answer;
    expect(findings).toHaveLength(6);
    const by = (predicate: (f: LeakFinding) => boolean) => findings.filter(predicate);

    const [stripe] = by((f) => f.matches.some((m) => m.credentialId === ids.stripe));
    expect(stripe).toMatchObject({ kind: 'provider', provider: 'Stripe', severity: 'critical', assignedTo: 'STRIPE_SECRET_KEY', occurrences: 2, places: [{ line: 2, column: 19 }, { line: 3, column: 25 }] });
    expect(stripe.matches).toEqual([{ credentialId: ids.stripe, name: 'stripe-live', kind: 'api_key', environment: 'production', owner: 'team-payments', status: 'active', copies: 3 }]);
    expect(stripe.advice).toMatch(/stripe-live \(production, owned by team-payments, 3 known copies\)/);

    // The pasted PKCS #1 block, raw and JSON-escaped, is the stored PKCS #8 key: matched by its public thumbprint.
    const [key] = by((f) => f.kind === 'private_key');
    expect(key).toMatchObject({ severity: 'critical', occurrences: 2, places: [{ line: 9, column: 1 }, { line: 9 + pastedPkcs1.trimEnd().split('\n').length, column: 18 }] });
    expect(key.matches.map((m) => [m.credentialId, m.kind, m.owner])).toEqual([[ids.signing, 'signing_key', 'team-identity']]);

    const [revoked] = by((f) => f.matches.some((m) => m.credentialId === ids.revoked));
    expect(revoked).toMatchObject({ provider: 'GitHub', severity: 'low', matches: [expect.objectContaining({ status: 'revoked', name: 'ci-github' })] });
    expect(revoked.advice).toMatch(/already revoked/);

    const [aws] = by((f) => f.provider === 'AWS');
    expect(aws).toMatchObject({ matches: [], severity: 'high', assignedTo: 'aws_access_key_id', masked: 'AKIA••••••••' });
    expect(aws.advice).toMatch(/IAM/);

    const jwts = by((f) => f.kind === 'jwt');
    const weak = jwts.find((f) => f.format === 'JWT (HS256)')!;
    expect(weak.jwt?.findings.map((f) => f.code)).toContain('WEAK_HMAC_SECRET');
    expect(weak.jwt).toMatchObject({ issuer: 'https://api.acme.test', expiresAt: '2099-01-01T00:00:00.000Z' });
    const expired = jwts.find((f) => f.format === 'JWT (RS256)')!;
    expect(expired.jwt?.findings.map((f) => f.code)).toContain('EXPIRED');
    expect(expired).toMatchObject({ severity: 'low', matches: [] });
    // Ours first, then by severity.
    expect(findings.slice(0, 3).every((f) => f.matches.length > 0)).toBe(true);

    const audit = await auditEntries();
    const scanned = audit.filter((e) => e.action === 'leaks.scanned');
    expect(scanned).toHaveLength(1);
    expect(scanned[0].detail).toMatchObject({ source: 'paste', state: 'done', found: 6, matched: 3, unknown: 3, byKind: { provider: 3, private_key: 1, jwt: 2 } });
    expect((scanned[0].detail.credentialIds as string[]).sort()).toEqual([ids.stripe, ids.signing, ids.revoked].sort());
    expect(scanned[0].detail.fingerprints).toEqual(expect.arrayContaining(findings.map((f) => f.fingerprint)));
    expect((scanned[0].detail.fingerprints as string[]).every((fp) => /^fp:[0-9a-f]{4}(:[0-9a-f]{4}){3}$/.test(fp))).toBe(true);

    const everything = JSON.stringify([status, answer, await value('leaks:status', { scanId: status.scanId }), audit]);
    for (const secret of SECRETS.filter((s) => s.length >= 16)) expect(everything.includes(secret), `a secret (${secret.slice(0, 6)}…) is in an answer or the audit`).toBe(false);
  });

  it('matches a secret the inventory keeps in another form: base64 in a Kubernetes secret, a Slack webhook without its scheme', async () => {
    const webhook = `https://hooks.slack.com/services/T0123ABCD/B0456EFGH/${pick(r, BASE62, 24)}`;
    const plain = pick(r, BASE62, 20);
    const hook = await value<{ id: string }>('credentials:create', { fields: sampleCredential({ name: 'alerts-webhook', kind: 'webhook_secret', provider: 'slack' }), secret: webhook });
    const db = await value<{ id: string }>('credentials:create', { fields: sampleCredential({ name: 'orders-db', kind: 'service_token', provider: 'other' }), secret: plain });
    const text = `data:\n  password: ${Buffer.from(plain).toString('base64')}\nnotify ${webhook.slice('https://'.length)} done\n`;
    const status = await value<ScanStatus>('leaks:scanText', { text, source: '' });
    const { findings } = await value<{ findings: LeakFinding[] }>('leaks:findings', { scanId: status.scanId });
    expect(findings.map((f) => f.matches.map((m) => m.credentialId)).sort()).toEqual([[db.id], [hook.id]].sort());
  });

  it('finds the corpus\'s planted secrets at their places through the router', async () => {
    const corpus = await buildLeakCorpus();
    const status = await value<ScanStatus>('leaks:scanText', { text: corpus.text, source: 'corpus' });
    const { findings } = await value<{ findings: LeakFinding[] }>('leaks:findings', { scanId: status.scanId });
    expect(status.lines).toBe(corpus.text.split('\n').length - 1);
    const expected = corpus.planted.map((p) => JSON.stringify(p.places.slice(0, 20))).sort();
    expect(places(findings)).toEqual(expected);
    expect(JSON.stringify(findings)).not.toContain(corpus.planted.find((p) => p.id === 'stripe-secret-live')!.secret);
  });

  it('reads an SD-JWT presentation whole: one finding, its disclosed personal data in the inspection, no disclosure kept', async () => {
    const corpus = await buildLeakCorpus();
    const planted = corpus.planted.find((p) => p.id === 'sd-jwt')!;
    const status = await value<ScanStatus>('leaks:scanText', { text: corpus.text, source: 'corpus' });
    const { findings } = await value<{ findings: LeakFinding[] }>('leaks:findings', { scanId: status.scanId });
    const sd = findings.filter((f) => f.format.startsWith('SD-JWT'));
    expect(sd).toHaveLength(1);
    expect(sd[0]).toMatchObject({ format: 'SD-JWT (EdDSA, 3 disclosures, key binding)', places: planted.places, assignedTo: 'vp_token' });
    // The presentation is stale (its Key Binding JWT is from 2024) and says so; the inspection names what the holder disclosed.
    expect(sd[0].jwt).toMatchObject({ verdict: 'invalid', issuer: 'https://wallet-issuer.acme.test', expiresAt: '2099-01-01T00:00:00.000Z' });
    expect(sd[0].jwt!.findings.map((f) => [f.code, f.where])).toEqual([['EXPIRED', 'kb.iat'], ['SENSITIVE_DATA', 'payload.email'], ['NOT_VERIFIED', 'signature']]);
    // A stale presentation is no expired credential: with a new key binding, or at a verifier that skips it, it is presented again.
    expect(sd[0].severity).toBe('medium');
    expect(sd[0].advice).not.toMatch(/^It has expired/);
    // Neither the presentation nor any disclosure leaves the core.
    for (const part of planted.secret.split('~')) expect(JSON.stringify(findings)).not.toContain(part);
  });

  it('keeps an expired SD-JWT that disclosed personal data at medium: expiry ends its use, not the exposure', async () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const disclosure = b64(['c2FsdC1vbmUtc2FsdC1vbmU', 'email', 'ana@acme.test']);
    const digest = createHash('sha256').update(disclosure).digest('base64url');
    const issued = `${b64({ alg: 'HS256', typ: 'dc+sd-jwt' })}.${b64({ iss: 'https://issuer.acme.test', exp: PAST_EXP, _sd: [digest], _sd_alg: 'sha-256' })}.${'s'.repeat(43)}~${disclosure}~`;
    const plain = rs256Jwt(seededRsaKey(seededRandom(3)), seededRandom(4), PAST_EXP);
    const status = await value<ScanStatus>('leaks:scanText', { text: `credential=${issued}\ntoken=${plain}\n`, source: 'expired' });
    const { findings } = await value<{ findings: LeakFinding[] }>('leaks:findings', { scanId: status.scanId });
    expect(findings.map((f) => [f.format, f.severity])).toEqual([['SD-JWT (HS256, 1 disclosure)', 'medium'], ['JWT (RS256)', 'low']]);
    expect(findings[0].advice).toMatch(/^It has expired.*treat it as exposed, expired or not/);
  });
});

describe('leaks:scanFile', () => {
  it('streams a file of a few MB, a gzip file and UTF-16LE files (with and without a byte-order mark) with the same findings as the text', async () => {
    const corpus = await buildLeakCorpus();
    const paste = await value<ScanStatus>('leaks:scanText', { text: corpus.text, source: 'paste' });
    const expected = places((await value<{ findings: LeakFinding[] }>('leaks:findings', { scanId: paste.scanId })).findings);

    file('corpus.log.gz', gzipSync(Buffer.from(corpus.text)));
    file('corpus-utf16.log', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(corpus.text, 'utf16le')]));
    file('corpus-utf16-nobom.log', Buffer.from(corpus.text, 'utf16le'));
    for (const label of ['gzip', 'utf16', 'utf16 without a byte-order mark']) {
      const { scan } = await value<{ scan: ScanStatus }>('leaks:scanFile', { source: label });
      const done = await untilSettled(scan.scanId);
      expect(done, label).toMatchObject({ state: 'done', source: { kind: 'file', label }, lines: paste.lines, found: paste.found });
      expect(places((await value<{ findings: LeakFinding[] }>('leaks:findings', { scanId: scan.scanId })).findings), label).toEqual(expected);
    }

    const big = join(t.platform.userDataDir, 'big.log');
    const log = await writeSyntheticLog(big, 3 * 1024 * 1024);
    t.platform.chosenFiles.push(big);
    const { scan } = await value<{ scan: ScanStatus }>('leaks:scanFile', { source: '' });
    expect(scan).toMatchObject({ totalBytes: log.bytes, source: { kind: 'file', label: 'big.log' } });
    const done = await untilSettled(scan.scanId);
    expect(done).toMatchObject({ state: 'done', bytesScanned: log.bytes, lines: log.lines, found: log.planted });
    expect(t.platform.fileRequests.at(-1)).toMatchObject({ mode: 'open' });
  });

  it('refuses a directory and a missing file with a clear error, and answers null when the dialog is cancelled', async () => {
    const dir = join(t.platform.userDataDir, 'logs');
    mkdirSync(dir);
    t.platform.chosenFiles.push(dir, join(t.platform.userDataDir, 'gone.log'));
    expect(await invoke('leaks:scanFile', { source: '' })).toMatchObject({ ok: false, error: { code: 'LEAK_FILE_UNREADABLE', message: expect.stringMatching(/logs is not a file/) } });
    expect(await invoke('leaks:scanFile', { source: '' })).toMatchObject({ ok: false, error: { code: 'LEAK_FILE_UNREADABLE', message: expect.stringMatching(/gone\.log could not be opened \(ENOENT\)/) } });
    expect(await value('leaks:scanFile', { source: '' })).toEqual({ scan: null });
  });

  it('lists what a cancelled scan found before it stopped, and starts a playbook from it with the partial read in the evidence', async () => {
    const ids = await stockInventory();
    const big = join(t.platform.userDataDir, 'huge.log');
    await writeSyntheticLog(big, 60 * 1024 * 1024);
    const { readFileSync } = await import('node:fs');
    writeFileSync(big, Buffer.concat([Buffer.from(`2026-01-14T10:22:31Z boot STRIPE_SECRET_KEY=${stripeKey}\n`), readFileSync(big)]));
    t.platform.chosenFiles.push(big);
    const { scan } = await value<{ scan: ScanStatus }>('leaks:scanFile', { source: 'huge' });
    while ((await value<ScanStatus>('leaks:status', { scanId: scan.scanId })).bytesScanned < 2 * 1024 * 1024) await new Promise((resolve) => setTimeout(resolve, 2));
    const cancelled = await value<ScanStatus>('leaks:cancel', { scanId: scan.scanId });
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.bytesScanned).toBeLessThan(cancelled.totalBytes!);
    const { findings } = await value<{ findings: LeakFinding[] }>('leaks:findings', { scanId: scan.scanId });
    const stripe = findings.find((f) => f.matches.some((m) => m.credentialId === ids.stripe));
    expect(stripe).toMatchObject({ severity: 'critical', places: [{ line: 1, column: 45 }] });
    const { runs } = await value<{ runs: { runId: string }[] }>('leaks:startPlaybooks', { scanId: scan.scanId, findingIds: [stripe!.id] });
    const { run } = await value<{ run: RunView }>('playbooks:get', { runId: runs[0].runId });
    expect(run.steps[0].evidence).toMatch(/in the file "huge" \(the scan was cancelled after [\d,]+ lines, so copies further on were not looked for;/);
    expect(run.steps[0].evidence).not.toContain(stripeKey);
  });

  it('lists what a gzip file cut short held before the cut, as a failed scan that says why', async () => {
    const ids = await stockInventory();
    const whole = gzipSync(Buffer.from(`${PASTE}\n${'2026-01-14T10:22:31Z INFO filler line for the cut\n'.repeat(20_000)}`));
    file('cut.log.gz', whole.subarray(0, Math.floor(whole.length * 0.8)));
    const { scan } = await value<{ scan: ScanStatus }>('leaks:scanFile', { source: '' });
    const status = await untilSettled(scan.scanId);
    expect(status).toMatchObject({ state: 'failed', error: expect.stringMatching(/could not be read to the end .*What was read before that is listed/) });
    const { findings } = await value<{ findings: LeakFinding[] }>('leaks:findings', { scanId: scan.scanId });
    expect(status.found).toBe(findings.length);
    expect(findings.some((f) => f.matches.some((m) => m.credentialId === ids.stripe))).toBe(true);
  });

  it('audits a scan discarded while it runs as discarded, with what it had read', async () => {
    const big = join(t.platform.userDataDir, 'huge.log');
    await writeSyntheticLog(big, 40 * 1024 * 1024);
    t.platform.chosenFiles.push(big);
    const { scan } = await value<{ scan: ScanStatus }>('leaks:scanFile', { source: 'huge' });
    await value('leaks:discard', { scanId: scan.scanId });
    expect(await invoke('leaks:status', { scanId: scan.scanId })).toMatchObject({ ok: false, error: { code: 'LEAK_SCAN_NOT_FOUND' } });
    let entries: Awaited<ReturnType<typeof auditEntries>> = [];
    while (!(entries = (await auditEntries()).filter((e) => e.action === 'leaks.scanned')).length) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(entries.map((e) => e.detail.state)).toEqual(['discarded']);
    expect(entries[0].detail.bytes).toBeLessThan(40 * 1024 * 1024);
  });

  it('stops a big file when cancelled', async () => {
    const big = join(t.platform.userDataDir, 'huge.log');
    await writeSyntheticLog(big, 40 * 1024 * 1024);
    t.platform.chosenFiles.push(big);
    const { scan } = await value<{ scan: ScanStatus }>('leaks:scanFile', { source: 'huge' });
    const cancelled = await value<ScanStatus>('leaks:cancel', { scanId: scan.scanId });
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.bytesScanned).toBeLessThan(cancelled.totalBytes!);
    const after = await value<{ status: ScanStatus; findings: LeakFinding[] }>('leaks:findings', { scanId: scan.scanId });
    expect(after.status.state).toBe('cancelled');
    expect(after.status.found).toBe(after.findings.length);
    expect((await auditEntries()).filter((e) => e.action === 'leaks.scanned').map((e) => e.detail.state)).toEqual(['cancelled']);
  });

  it('forgets a scan when the vault locks during it, and writes nothing', async () => {
    const big = join(t.platform.userDataDir, 'huge.log');
    await writeSyntheticLog(big, 40 * 1024 * 1024);
    t.platform.chosenFiles.push(big);
    const { scan } = await value<{ scan: ScanStatus }>('leaks:scanFile', { source: 'huge' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await t.core.vault.lock('user');
    expect(await invoke('leaks:status', { scanId: scan.scanId })).toMatchObject({ ok: false, error: { code: 'LEAK_SCAN_NOT_FOUND' } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await t.core.vault.unlock(STRONG_PASSPHRASE);
    expect(await invoke('leaks:findings', { scanId: scan.scanId })).toMatchObject({ ok: false, error: { code: 'LEAK_SCAN_NOT_FOUND' } });
    expect((await auditEntries()).map((e) => e.action)).not.toContain('leaks.scanned');
  });
});

describe('leaks:startPlaybooks', () => {
  it('starts the built-in playbook for a matched credential with the leak as evidence, and refuses an unmatched finding', async () => {
    const ids = await stockInventory();
    const status = await value<ScanStatus>('leaks:scanText', { text: PASTE, source: 'CI build #4411' });
    const { findings } = await value<{ findings: LeakFinding[] }>('leaks:findings', { scanId: status.scanId });
    const stripe = findings.find((f) => f.matches.some((m) => m.credentialId === ids.stripe))!;
    const key = findings.find((f) => f.kind === 'private_key')!;
    const unknown = findings.find((f) => f.provider === 'AWS')!;

    const runsBefore = (await value<{ total: number }>('playbooks:listRuns', {})).total;
    expect(await invoke('leaks:startPlaybooks', { scanId: status.scanId, findingIds: [stripe.id, unknown.id] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/AKIA•+ is not in the inventory/) } });
    expect((await value<{ total: number }>('playbooks:listRuns', {})).total).toBe(runsBefore);

    // A playbook chosen for a kind it is not for is refused before anything starts.
    expect(await invoke('leaks:startPlaybooks', { scanId: status.scanId, findingIds: [stripe.id, key.id], templates: { [ids.signing]: 'leaked-webhook-secret' } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/"Leaked webhook signing secret" is not for signing key credentials such as jwt-signing.*nothing was started/) },
    });
    expect((await value<{ total: number }>('playbooks:listRuns', {})).total).toBe(runsBefore);

    const { runs } = await value<{ runs: { runId: string; credentialId: string; credentialName: string; templateName: string }[] }>('leaks:startPlaybooks', { scanId: status.scanId, findingIds: [stripe.id, key.id] });
    expect(runs.map((run) => run.credentialId).sort()).toEqual([ids.stripe, ids.signing].sort());
    for (const run of runs) {
      const { run: view } = await value<{ run: RunView }>('playbooks:get', { runId: run.runId });
      const kind = run.credentialId === ids.stripe ? 'api_key' : 'signing_key';
      expect(view).toMatchObject({ templateId: LEAK_PLAYBOOK_FOR_KIND[kind], credentialId: run.credentialId, state: 'open' });
      const evidence = view.steps[0].evidence ?? '';
      expect(evidence).toContain('text pasted as "CI build #4411"');
      expect(evidence).toContain((run.credentialId === ids.stripe ? stripe : key).masked);
      for (const secret of SECRETS) expect(evidence.includes(secret)).toBe(false);
    }
    const listed = await value<{ runs: RunSummary[] }>('playbooks:listRuns', {});
    expect(listed.runs.filter((run) => runs.some((r) => r.runId === run.id))).toHaveLength(2);
    expect((await auditEntries()).map((e) => e.action)).toContain('leaks.playbooksStarted');
  });
});
