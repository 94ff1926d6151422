import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatDuration, runDurations } from '../../../electron/core/playbooks/report/durations';
import { renderReport, type ReportInput } from '../../../electron/core/playbooks/report/render-report';
import { playbookRun, type PlaybookPhase, type PlaybookRun, type RunStep, type TimelineEvent } from '../../../shared/playbooks';
import { largeReportInput } from '../../bench/playbooks.bench';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function step(id: string, phase: PlaybookPhase, overrides: Partial<RunStep> = {}): RunStep {
  return {
    id,
    templateStepId: id.split('#')[0],
    phase,
    kind: 'manual',
    title: `Do ${id}`,
    guidance: '',
    action: null,
    params: {},
    destructive: false,
    options: null,
    state: 'done',
    decision: null,
    evidence: null,
    result: null,
    attempts: 1,
    doneBy: 'alice@example.com',
    doneAt: at(5),
    ...overrides,
  };
}

function reportInput(steps: RunStep[], options: { run?: Partial<PlaybookRun>; timeline?: TimelineEvent[]; generatedAt?: Date; credential?: ReportInput['credential'] } = {}): ReportInput {
  // Parsed, so that every fixture is a run the engine could have stored.
  const run = playbookRun.parse({
    id: '0b6f3c7e-2d1a-4f5b-9c8e-7a6d5e4f3a2b',
    templateId: 'leaked-api-key',
    templateVersion: 4,
    title: 'Payments key leaked in CI',
    credentialId: 'cred-1',
    credentialName: 'payments-api key',
    state: 'completed',
    startedAt: at(0),
    completedAt: at(60),
    steps,
    ...options.run,
  });
  return {
    run,
    timeline: options.timeline ?? [{ seq: 1, at: at(0), actor: 'alice@example.com', type: 'run.started', stepId: null, detail: 'Started.' }],
    templateName: 'Leaked API key',
    credential:
      options.credential === undefined ? { name: 'payments-api key', kind: 'api_key', environment: 'production', owner: 'payments team', fingerprint: 'fp:3f2a:9c1e:4b5d:7e60' } : options.credential,
    generatedAt: options.generatedAt ?? new Date(T0 + 90 * 60_000),
    generatedBy: 'alice@example.com',
  };
}

/** The Markdown with its backslash escapes undone: what a reader sees. */
const unescapeMarkdown = (markdown: string) => markdown.replace(/\\(.)/g, '$1');
/** The cells of a table row, split on the pipes that are not escaped. */
const cells = (line: string) => line.split(/(?<!\\)\|/).slice(1, -1);
const section = (markdown: string, heading: string) => markdown.slice(markdown.indexOf(heading));

describe('report durations', () => {
  it('measures time to contain and to rotate to the last step of the phase done, and the total to completion', () => {
    const input = reportInput([
      step('isolate', 'contain', { doneAt: at(12.5) }),
      step('block-ip', 'contain', { doneAt: at(5) }),
      step('assess', 'assess', { doneAt: at(20) }),
      step('rotate', 'rotate', { doneAt: at(40) }),
      step('rotate-copy', 'rotate', { state: 'skipped', doneAt: at(45) }),
      step('review', 'review', { doneAt: at(59) }),
    ]);
    const durations = runDurations(input.run, input.generatedAt);
    expect(durations.contain).toEqual({ status: 'reached', ms: 12.5 * 60_000, at: at(12.5) });
    expect(durations.rotate).toEqual({ status: 'reached', ms: 40 * 60_000, at: at(40) });
    expect(durations.total).toEqual({ status: 'completed', ms: 60 * 60_000, at: at(60) });

    const { markdown, html } = renderReport(input);
    expect(markdown).toContain('| Time to contain | 12 min 30 s (at 2026-01-15 12:12:30 UTC) |');
    expect(markdown).toContain('| Time to rotate | 40 min 00 s (at 2026-01-15 12:40:00 UTC) |');
    expect(markdown).toContain('| Total | 1 h 00 min 00 s (completed at 2026-01-15 13:00:00 UTC) |');
    expect(html).toContain('<th scope="row">Time to contain</th><td>12 min 30 s (at 2026-01-15 12:12:30 UTC)</td>');
  });

  it('measures an open run to the moment of the report, and a phase not finished as not yet', () => {
    const input = reportInput([step('isolate', 'contain', { doneAt: at(3) }), step('rotate', 'rotate', { state: 'running', doneBy: null, doneAt: null })], {
      run: { state: 'open', completedAt: null },
      generatedAt: new Date(T0 + 2 * 3600_000),
    });
    const durations = runDurations(input.run, input.generatedAt);
    expect(durations.contain).toMatchObject({ status: 'reached', ms: 3 * 60_000 });
    expect(durations.rotate).toEqual({ status: 'pending', elapsedMs: 2 * 3600_000 });
    expect(durations.total).toEqual({ status: 'open', elapsedMs: 2 * 3600_000 });

    const { markdown } = renderReport(input);
    expect(markdown).toContain('| Time to rotate | not yet: 2 h 00 min 00 s since the start and counting |');
    expect(markdown).toContain('| Total | open: 2 h 00 min 00 s elapsed so far |');
    expect(markdown).toContain('| Completed | not yet: the run is open |');
  });

  it('says when a run has no contain step, skipped them all, or ended without finishing them', () => {
    const none = reportInput([step('rotate', 'rotate', { doneAt: at(10) })]);
    expect(runDurations(none.run, none.generatedAt).contain).toEqual({ status: 'no-steps' });
    expect(renderReport(none).markdown).toContain('| Time to contain | not measured: the run has no contain step |');

    const skipped = reportInput([step('isolate', 'contain', { state: 'skipped' }), step('rotate', 'rotate', { doneAt: at(10) })]);
    expect(runDurations(skipped.run, skipped.generatedAt).contain).toEqual({ status: 'skipped' });

    const unfinished = reportInput([step('isolate', 'contain', { state: 'failed', doneAt: null }), step('block', 'contain', { doneAt: at(2) })], { run: { state: 'abandoned', completedAt: at(30) } });
    const durations = runDurations(unfinished.run, unfinished.generatedAt);
    expect(durations.contain).toEqual({ status: 'not-reached' });
    expect(durations.total).toEqual({ status: 'abandoned', ms: 30 * 60_000, at: at(30) });
    expect(renderReport(unfinished).markdown).toContain('| Total | 30 min 00 s (abandoned at 2026-01-15 12:30:00 UTC) |');
  });

  it('writes durations a person reads at a glance', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(725_000)).toBe('12 min 05 s');
    expect(formatDuration(3_723_000)).toBe('1 h 02 min 03 s');
    expect(formatDuration(90_061_000)).toBe('1 d 01 h 01 min');
  });
});

describe('report steps', () => {
  const input = reportInput(
    [
      step('verify-refused', 'verify', { kind: 'automated', action: 'expectOldSecretRefused', result: { ok: false, summary: 'The old secret still works', details: ['token endpoint answered 200'] }, state: 'failed', attempts: 2, doneBy: null, doneAt: null }),
      step('isolate', 'contain', { doneBy: 'bob@example.com', doneAt: at(4), evidence: 'Disabled the CI job.' }),
      step('rotate', 'rotate', { kind: 'automated', action: 'expectKidPresent', result: { ok: true, summary: 'kid k-2026-02 is in the JWKS', details: ['fetched https://login.example.com/jwks', '3 keys'] }, doneAt: at(20) }),
      step('grace', 'contain', { kind: 'decision', options: [{ value: 'h24', label: 'Keep the old key for 24 hours' }, { value: 'now', label: 'Revoke now' }], decision: 'h24', doneAt: at(6) }),
      step('lessons', 'review', { state: 'pending', doneBy: null, doneAt: null }),
    ],
    {
      timeline: [
        { seq: 1, at: at(0), actor: 'alice@example.com', type: 'run.started', stepId: null, detail: 'Started.' },
        { seq: 2, at: at(6), actor: 'bob@example.com', type: 'decision.made', stepId: 'grace', detail: 'Chose h24.' },
        { seq: 3, at: at(30), actor: 'system', type: 'step.failed', stepId: 'verify-refused', detail: 'The old secret still works.' },
      ],
    },
  );

  it('groups steps by phase in the practice order, keeps run order within a phase, and numbers them so', () => {
    const { markdown, html } = renderReport(input);
    const headings = markdown.split('\n').filter((line) => line.startsWith('### '));
    expect(headings).toEqual(['### Contain', '### Rotate', '### Verify', '### Review']);
    const rows = section(markdown, '## Steps').split('## Timeline')[0].split('\n').filter((line) => /^\| \d+ \|/.test(line)).map((line) => cells(line).map((cell) => cell.trim()));
    expect(rows.map((row) => [row[0], row[1].split('<br>')[0]])).toEqual([
      ['1', 'Do isolate'],
      ['2', 'Do grace'],
      ['3', 'Do rotate'],
      ['4', 'Do verify-refused'],
      ['5', 'Do lessons'],
    ]);
    const order = ['<h3>Contain</h3>', 'Do isolate', 'Do grace', '<h3>Rotate</h3>', 'Do rotate', '<h3>Verify</h3>', 'Do verify-refused', '<h3>Review</h3>', 'Do lessons'].map((text) => html.indexOf(text));
    expect(order.every((index, i) => index > (i === 0 ? -1 : order[i - 1]))).toBe(true);
    // The timeline refers to steps by their number in the report.
    expect(section(markdown, '## Timeline')).toContain('| 2 (grace) |');
    expect(section(markdown, '## Timeline')).toContain('| 4 (verify-refused) |');
  });

  it('shows for each step its state, who did it and when, the decision chosen, the evidence and the verification', () => {
    const { markdown, html } = renderReport(input);
    const row = (title: string) => cells(markdown.split('\n').find((line) => line.includes(`| ${title}<br>`))!).map((cell) => cell.trim());
    expect(row('Do isolate')).toEqual(['1', 'Do isolate<br>manual · isolate', 'done', 'bob@example.com', '2026-01-15 12:04:00', '—', 'Disabled the CI job.', '—']);
    expect(row('Do grace')[5]).toBe('Keep the old key for 24 hours');
    expect(row('Do rotate')[7]).toBe('**ok**: kid k-2026-02 is in the JWKS<br>• fetched https://login.example.com/jwks<br>• 3 keys');
    expect(row('Do verify-refused').slice(2, 5)).toEqual(['**FAILED (2 attempts)**', '—', '—']);
    expect(row('Do verify-refused')[7]).toBe('**FAILED**: The old secret still works<br>• token endpoint answered 200');
    expect(row('Do lessons')[2]).toBe('pending');
    expect(html).toContain('<span class="verify-failed">✗ FAILED</span>: <span class="note">The old secret still works</span><ul class="details"><li class="note">token endpoint answered 200</li></ul>');
    expect(markdown).toContain('5 steps: 3 done, 1 failed, 1 pending.');
  });

  it('writes the incident summary with the credential only as its fingerprint', () => {
    const { markdown, html } = renderReport(input);
    expect(markdown).toContain('# Incident report: Payments key leaked in CI');
    expect(markdown).toContain('| Playbook | Leaked API key, version 4 (leaked-api-key) |');
    expect(markdown).toContain('| Credential | payments-api key (api\\_key, production) |');
    expect(markdown).toContain('| Fingerprint | `fp:3f2a:9c1e:4b5d:7e60` |');
    expect(markdown).toContain('| Started | 2026-01-15 12:00:00 UTC |');
    expect(html).toContain('<span class="mono fingerprint">fp:3f2a:9c1e:4b5d:7e60</span>');

    const deleted = renderReport({ ...input, credential: null });
    expect(deleted.markdown).toContain('| Credential | payments-api key (deleted from the inventory since the run started) |');
    const blank = renderReport(reportInput([step('isolate', 'contain')], { run: { credentialId: null, credentialName: null }, credential: null }));
    expect(blank.markdown).toContain('| Credential | none: the run started from a blank template |');
  });
});

describe('report secrets', () => {
  const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const jwt = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: 'svc-payments', iat: 1_768_478_400 })}.${randomBytes(32).toString('base64url')}`;
  const pem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const pemBody = pem.split('\n')[1];
  const hex40 = randomBytes(20).toString('hex');
  const awsSecret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const pasted = `JWT ${jwt}\n${pem}AWS AKIAIOSFODNN7EXAMPLE / ${awsSecret}\nhex ${hex40}\ncurl -H "Authorization: Bearer x" -X POST\nthen Bearer x alone`;
  /** What must not be in either output, in any escaping. */
  const secrets = [jwt, jwt.split('.')[2], pemBody, 'AKIAIOSFODNN7EXAMPLE', awsSecret, hex40, 'Bearer x'];

  it('never shows a secret pasted into an evidence note, a verification or a timeline detail', () => {
    const input = reportInput(
      [
        step('isolate', 'contain', { evidence: pasted }),
        step('revoke', 'revoke', { kind: 'automated', action: 'revokeTokens', result: { ok: true, summary: `revoked ${jwt}`, details: [pasted] } }),
      ],
      { timeline: [{ seq: 1, at: at(1), actor: 'alice@example.com', type: 'evidence.added', stepId: 'isolate', detail: pasted }] },
    );
    const { markdown, html } = renderReport(input);
    for (const output of [markdown, unescapeMarkdown(markdown), html]) {
      for (const secret of secrets) expect(output).not.toContain(secret);
    }
    for (const kind of ['JWT', 'private key', 'AWS access key ID', 'token', 'hex secret', 'authorization header', 'bearer token']) {
      expect(markdown).toContain(`\\[redacted: ${kind}\\]`);
      expect(html).toContain(`[redacted: ${kind}]`);
    }
    expect(markdown).toMatch(/Secrets appear only as fingerprints; \d+ passages that looked like secrets were redacted\./);
  });

  it('redacts a secret in the run title and step titles too', () => {
    const { markdown, html } = renderReport(reportInput([step('isolate', 'contain', { title: `Revoke ${jwt}` })], { run: { title: `Leak of ${hex40}` } }));
    for (const output of [markdown, html]) {
      expect(output).not.toContain(jwt);
      expect(output).not.toContain(hex40);
    }
  });
});

describe('report escaping', () => {
  it('HTML-escapes user text: a script in a title is text', () => {
    const input = reportInput([step('isolate', 'contain', { title: '<img src=x onerror=alert(1)>', evidence: 'a "quoted" & \'single\' </td></tr>' })], {
      run: { title: '<script>alert("pwned")</script>' },
      timeline: [{ seq: 1, at: at(0), actor: '<b>mallory</b>', type: 'run.started', stepId: null, detail: '</table><script>x()</script>' }],
    });
    const { html } = renderReport(input);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>mallory');
    expect(html).toContain('<title>Incident report: &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;</title>');
    expect(html).toContain('<h1>Incident report: &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;</h1>');
    expect(html).toContain('a &quot;quoted&quot; &amp; &#39;single&#39; &lt;/td&gt;&lt;/tr&gt;');
    // The evidence did not close its cell: the row still has its seven cells.
    expect(html.match(/<tr><td class="num">1<\/td>[\s\S]*?<\/tr>/)![0].match(/<td/g)).toHaveLength(7);
  });

  it('escapes Markdown: a | in evidence keeps the table shape, and nothing becomes a heading, quote or code', () => {
    const input = reportInput(
      [step('isolate', 'contain', { title: '# Not a heading', evidence: 'a | b | c\n> not a quote\n`rm -rf /` and *bold* [link](http://x)' })],
      { run: { title: '## Also not a heading' }, timeline: [{ seq: 1, at: at(0), actor: 'alice', type: 'run.started', stepId: 'isolate', detail: 'x | y\n# z' }] },
    );
    const { markdown } = renderReport(input);
    const lines = markdown.split('\n');
    const header = lines.find((line) => line.startsWith('| # | Step |'))!;
    const row = lines.find((line) => line.startsWith('| 1 |'))!;
    expect(cells(row)).toHaveLength(cells(header).length);
    expect(cells(row)[6].trim()).toBe('a \\| b \\| c<br>\\> not a quote<br>\\`rm -rf /\\` and \\*bold\\* \\[link\\](http://x)');
    expect(cells(row)[1]).toContain('\\# Not a heading');
    const event = lines.find((line) => line.startsWith('| 1 | 2026-01-15'))!;
    expect(cells(event)).toHaveLength(6);
    expect(cells(event)[5].trim()).toBe('x \\| y<br>\\# z');
    expect(lines.filter((line) => /^#{1,6} /.test(line)).every((line) => /^(# Incident report: |## (Summary|Durations|Steps|Timeline)$|### Contain$)/.test(line))).toBe(true);
    expect(lines[0]).toBe('# Incident report: \\## Also not a heading');
  });

  it('keeps HTML and entities in Markdown as text, and undoing the escapes gives back what was typed', () => {
    const evidence = '<img src=x onerror=alert(1)> & &amp; $5 ~~no~~ a_b_c';
    const { markdown } = renderReport(reportInput([step('isolate', 'contain', { evidence })]));
    const row = markdown.split('\n').find((line) => line.startsWith('| 1 |'))!;
    expect(cells(row)[6]).not.toMatch(/(?<!\\)</);
    expect(cells(row)[6].trim()).toBe('\\<img src=x onerror=alert(1)\\> \\& \\&amp; \\$5 \\~\\~no\\~\\~ a\\_b\\_c');
    expect(unescapeMarkdown(cells(row)[6].trim())).toBe(evidence);
  });
});

describe('report HTML page', () => {
  it('is self-contained: a CSP that allows only the inline style, no script, no URL, print CSS for A4', () => {
    const { html } = renderReport(reportInput([step('isolate', 'contain', { evidence: 'Disabled the job.' })]));
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('http:');
    expect(html).not.toContain('https:');
    expect(html).not.toMatch(/<link|@import|url\(/i);
    expect(html).toMatch(/@page \{ size: A4;/);
    expect(html).toMatch(/\.timeline \{ break-before: page;/);
    expect(html).toMatch(/font-family: ui-monospace/);
  });

  it('loads nothing even when user text has URLs: they are text, never an attribute', () => {
    const { html } = renderReport(reportInput([step('isolate', 'contain', { evidence: 'see https://tracker.example/INC-1 and <img src="https://evil.example/x.png">' })]));
    const tags = html.match(/<[^>]*>/g)!;
    expect(tags.filter((tag) => /\s(?:src|href|action|srcset|poster|data|background)\s*=/i.test(tag))).toEqual([]);
    expect(html).toContain('see https://tracker.example/INC-1 and &lt;img src=&quot;https://evil.example/x.png&quot;&gt;');
  });
});

describe('report of a large run', () => {
  it('renders a 200-step run with 5,000 timeline events in full', () => {
    const input = largeReportInput();
    expect(input.run.steps).toHaveLength(200);
    expect(input.timeline).toHaveLength(5000);
    renderReport(input);
    const started = performance.now();
    const { markdown, html } = renderReport(input);
    const ms = performance.now() - started;
    console.info(`report of 200 steps and 5,000 events: ${ms.toFixed(1)} ms (Markdown ${Math.round(markdown.length / 1024)} KiB, HTML ${Math.round(html.length / 1024)} KiB)`);

    const stepRows = section(markdown, '## Steps').split('## Timeline')[0].split('\n').filter((line) => /^\| \d+ \|/.test(line));
    const eventRows = section(markdown, '## Timeline').split('\n').filter((line) => /^\| \d+ \|/.test(line));
    expect(stepRows).toHaveLength(200);
    expect(eventRows).toHaveLength(5000);
    expect(html.match(/<tr><td class="num">/g)).toHaveLength(5200);
    // The bench fixture pastes bearer tokens into notes and details: none survives.
    expect(markdown).not.toMatch(/Bearer [A-Za-z0-9_-]{20,}/);
    expect(html).not.toMatch(/Bearer [A-Za-z0-9_-]{20,}/);
  });
});
