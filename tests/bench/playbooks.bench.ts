/**
 * playbooks.report: ms to render the Markdown and HTML report of a run of 200 steps with 5,000
 * timeline events (redaction of every piece of user text included), median of several renders. No
 * natural baseline: baseline null.
 */
import { PLAYBOOK_PHASES, STEP_ACTIONS, type PlaybookPhase, type RunStep, type TimelineEvent } from '../../shared/playbooks';
import { renderReport, type ReportInput } from '../../electron/core/playbooks/report/render-report';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendEvents } from '../../electron/core/playbooks/run-store';
import { startHarness } from '../e2e/harness';
import { STRONG_PASSPHRASE } from '../support/test-platform';
import { median, report, time, type Bench } from './report';

const STEPS = 200;
const EVENTS = 5000;
const RENDERS = 9;
const WARM_UPS = 3;

/** Steps per phase, 200 in all: rotation, revocation and verification have one item per location. */
const PHASE_SIZES: Record<PlaybookPhase, number> = { contain: 20, assess: 20, rotate: 40, revoke: 40, verify: 40, monitor: 20, review: 20 };
const ACTORS = ['alice@example.com', 'bob@example.com', 'carol (on call)', 'system'];
const START_MS = Date.UTC(2026, 0, 15, 3, 0, 0);

/** A seeded generator, so every run of the bench renders the same report. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The report input of a finished incident with 200 steps and 5,000 timeline events: evidence notes
 * of a few sentences, verifications with ten details each, and now and then a token pasted where it
 * should not be, as happens at 3 a.m.
 */
export function largeReportInput(steps = STEPS, events = EVENTS): ReportInput {
  const next = random(0x5eed_2026);
  const pick = (length: number) => Array.from({ length }, () => BASE64URL[Math.floor(next() * 64)]).join('');
  const iso = (ms: number) => new Date(ms).toISOString();
  const scale = steps / STEPS;

  const runSteps: RunStep[] = [];
  let clock = START_MS;
  for (const phase of PLAYBOOK_PHASES) {
    const count = Math.max(1, Math.round(PHASE_SIZES[phase] * scale));
    for (let i = 0; i < count && runSteps.length < steps; i++) {
      const n = runSteps.length;
      const kind = n % 5 === 2 ? 'automated' : n % 11 === 4 ? 'decision' : 'manual';
      /** Some automated steps failed once (a 503 from the server) and passed when retried. */
      const retried = kind === 'automated' && n % 13 === 0;
      clock += 30_000 + Math.floor(next() * 240_000);
      const id = `${phase}-step-${i + 1}#${(i % 3) + 1}`;
      const leaked = n % 17 === 0 ? ` Found it in the CI log: Authorization: Bearer ${pick(43)}` : '';
      runSteps.push({
        id,
        templateStepId: `${phase}-step-${i + 1}`,
        phase,
        kind,
        title: `${phase[0].toUpperCase()}${phase.slice(1)}: remove the copy in the ${['test', 'staging', 'production'][i % 3]} environment's CI variable (location ${i + 1})`,
        guidance: 'Follow the runbook.',
        action: kind === 'automated' ? STEP_ACTIONS[n % STEP_ACTIONS.length] : null,
        params: {},
        destructive: kind === 'automated' && n % 2 === 0,
        options: kind === 'decision' ? [{ value: 'grace-24h', label: 'Keep the old secret valid for 24 hours' }, { value: 'now', label: 'Revoke immediately' }] : null,
        state: n % 23 === 7 ? 'skipped' : 'done',
        decision: kind === 'decision' ? 'grace-24h' : null,
        evidence:
          kind === 'manual'
            ? `Checked with the owning team | ticket INC-4211. Removed the variable from the pipeline settings and re-ran the job; the new value is read from the vault.${leaked}\nSecond line of the note.`
            : null,
        result:
          kind === 'automated'
            ? {
                ok: true,
                summary: retried ? 'All 10 tokens are inactive at the server (the first attempt got 503 for 2 of them).' : 'All 10 tokens are inactive at the server.',
                details: Array.from({ length: 10 }, (_, d) => `jti ${pick(22)}: inactive (introspected at ${iso(clock + d * 250)})`),
              }
            : null,
        attempts: retried ? 2 : 1,
        doneBy: ACTORS[n % 3],
        doneAt: iso(clock),
      });
    }
  }

  const timeline: TimelineEvent[] = [{ seq: 1, at: iso(START_MS), actor: ACTORS[0], type: 'run.started', stepId: null, detail: 'Started from the leaked API key playbook, version 3.' }];
  const types = ['step.started', 'step.confirmed', 'evidence.added', 'step.done'] as const;
  const span = clock - START_MS;
  for (let seq = 2; seq < events; seq++) {
    const step = runSteps[Math.floor(((seq - 2) / (events - 2)) * runSteps.length)];
    const type = seq % 97 === 0 ? 'run.resumed' : seq % 41 === 0 ? 'step.failed' : types[seq % types.length];
    const detail =
      seq % 50 === 0
        ? `Retried after a timeout; the request was curl -H "Authorization: Bearer ${pick(40)}" https://login.example.com/oauth2/revoke`
        : `Revoked token ${pick(22)} at https://login.example.com/oauth2/revoke: 200 OK in ${Math.floor(next() * 300)} ms; ${seq % 3 === 0 ? 'no copy left' : 'next location queued'}.`;
    timeline.push({ seq, at: iso(START_MS + Math.floor(((seq - 1) / events) * span)), actor: ACTORS[seq % ACTORS.length], type, stepId: type === 'run.resumed' ? null : step.id, detail });
  }
  timeline.push({ seq: events, at: iso(clock + 60_000), actor: ACTORS[0], type: 'run.completed', stepId: null, detail: 'Every step done or skipped.' });

  return {
    run: {
      id: '6f1c2b9e-8d4a-4c3e-9b7f-2a1d5e8c4b30',
      templateId: 'leaked-api-key',
      templateVersion: 3,
      title: 'Payments API key leaked in a public CI log',
      credentialId: 'cred-payments-api',
      credentialName: 'payments-api key',
      state: 'completed',
      startedAt: iso(START_MS),
      completedAt: iso(clock + 60_000),
      steps: runSteps,
    },
    timeline,
    templateName: 'Leaked API key',
    credential: { name: 'payments-api key', kind: 'api_key', environment: 'production', owner: 'payments team', fingerprint: 'fp:3f2a:9c1e:4b5d:7e60' },
    generatedAt: new Date(clock + 120_000),
    generatedBy: 'alice@example.com',
  };
}

async function benchReport(): Promise<void> {
  const input = largeReportInput();
  let sizes = { markdown: 0, html: 0 };
  for (let i = 0; i < WARM_UPS; i++) renderReport(input);
  const runs: number[] = [];
  for (let i = 0; i < RENDERS; i++) {
    runs.push(
      await time(() => {
        const { markdown, html } = renderReport(input);
        sizes = { markdown: markdown.length, html: html.length };
      }),
    );
  }
  report({
    bench: 'playbooks.report',
    value: median(runs),
    unit: `ms to render the Markdown and HTML report of a ${STEPS}-step run with ${EVENTS.toLocaleString('en')} timeline events, redaction included, median of ${RENDERS}`,
    baseline: null,
    baselineValue: null,
    ratio: null,
    markdownKiB: Math.round(sizes.markdown / 1024),
    htmlKiB: Math.round(sizes.html / 1024),
  });
}

/**
 * playbooks.resume: ms from pressing Unlock to a 200-step run with 5,000 timeline events shown and
 * ready to act, in the e2e browser (the built renderer in Debian's Chromium on the real core): the
 * unlock, Playbooks, the run opened, every step painted. The unlock's own key derivation is printed
 * apart (unlockMs), and so is the part after it (afterUnlockMs).
 */
async function benchResume(): Promise<void> {
  execFileSync('npx', ['electron-vite', 'build'], { stdio: 'ignore' });
  const h = await startHarness();
  const call = async <T,>(channel: string, input: unknown): Promise<T> => {
    const answer = await h.core.router.invoke(channel, input);
    if (!answer.ok) throw new Error(`${channel}: ${answer.error.message}`);
    return answer.value as T;
  };
  try {
    const dir = h.platform.userDataDir;
    await h.core.vault.create(join(dir, 'credops.vault'), STRONG_PASSPHRASE);
    const steps = Array.from({ length: STEPS }, (_, i) => `  - id: step-${i + 1}\n    phase: ${PLAYBOOK_PHASES[i % PLAYBOOK_PHASES.length]}\n    kind: manual\n    title: "Step ${i + 1} of the bench run"\n    guidance: "Do the thing, write down what you saw."`);
    const file = join(dir, 'bench-200.yaml');
    writeFileSync(file, `id: bench-200\nversion: 1\nname: Bench, 200 steps\nsteps:\n${steps.join('\n')}\n`);
    h.platform.chosenFiles.push(file);
    await call('playbooks:importTemplate', {});
    let run = await call<{ id: string; revision: number; steps: { id: string }[] }>('playbooks:start', { templateId: 'bench-200', credentialId: null, serverId: null, title: 'Resume bench' });
    // One evidence note per step through the channel, then the rest of the 5,000 events written in
    // one transaction: setting up through the channel alone takes minutes.
    for (let i = 0; i < STEPS; i++) {
      run = await call('playbooks:addEvidence', { runId: run.id, stepId: run.steps[i].id, revision: run.revision, note: `Evidence ${i}: checked the deploy log and the CI variable; nothing else holds the key.` });
    }
    const open = h.core.vault.require();
    const at = new Date().toISOString();
    open.write(() =>
      appendEvents(open, run.id, Array.from({ length: EVENTS - STEPS - 1 }, (_, i) => ({ at, actor: 'bench', type: 'evidence.added' as const, stepId: run.steps[i % STEPS].id, detail: `Evidence ${i}: a longer note about what was checked and found.` }))),
    );
    const { page } = h;
    const totals: number[] = [];
    const afterUnlock: number[] = [];
    let unlockMs = 0;
    for (let i = 0; i < 5; i++) {
      h.core.vault.lock('user');
      await page.getByRole('button', { name: 'Unlock', exact: true }).waitFor();
      await page.getByLabel('Passphrase', { exact: true }).fill(STRONG_PASSPHRASE);
      const started = performance.now();
      await page.getByRole('button', { name: 'Unlock', exact: true }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      const unlocked = performance.now();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Playbooks' }).click();
      await page.getByRole('table', { name: 'Runs' }).getByRole('button', { name: 'Resume bench' }).click();
      // Every step painted: the last one is in the DOM, and a frame has passed.
      await page.waitForFunction((count) => document.querySelectorAll('.step-card').length >= count, STEPS);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
      const shown = performance.now();
      totals.push(shown - started);
      afterUnlock.push(shown - unlocked);
      unlockMs = unlocked - started;
    }
    report({
      bench: 'playbooks.resume', value: median(totals), unit: 'ms from pressing Unlock to the run painted, ready to act (browser), median of 5', baseline: null, baselineValue: null, ratio: null,
      unlockMs: Math.round(unlockMs), afterUnlockMs: Math.round(median(afterUnlock)), steps: STEPS, timelineEvents: EVENTS,
    });
  } finally {
    await h.close();
  }
}

export const playbookBenches: Bench[] = [
  { figures: ['playbooks.report'], run: benchReport },
  {
    figures: ['playbooks.resume'],
    run: benchResume,
  },
];
