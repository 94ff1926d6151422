/**
 * The durations a post-incident review asks for first: time to contain (run start to the last
 * `contain` step done), time to rotate (to the last `rotate` step done), and the total (start to
 * completion, or elapsed so far while the run is open).
 */
import type { PlaybookPhase, PlaybookRun } from '../../../../shared/playbooks';

/** How far a run got with a phase. */
export type Milestone =
  /** Every step of the phase is done or skipped; `at` is when its last done step was done. */
  | { status: 'reached'; ms: number; at: string }
  /** The run is open and the phase is not finished; `elapsedMs` since the start. */
  | { status: 'pending'; elapsedMs: number }
  /** The run ended (completed or abandoned) with the phase unfinished. */
  | { status: 'not-reached' }
  /** Every step of the phase was skipped: nothing was done to measure. */
  | { status: 'skipped' }
  /** The run has no step of that phase. */
  | { status: 'no-steps' }
  /** A timestamp the measure needs is missing or unreadable. */
  | { status: 'unknown' };

export type Total =
  | { status: 'completed' | 'abandoned'; ms: number; at: string }
  | { status: 'open'; elapsedMs: number }
  | { status: 'unknown' };

export interface RunDurations {
  contain: Milestone;
  rotate: Milestone;
  total: Total;
}

function parse(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

function milestone(run: PlaybookRun, phase: PlaybookPhase, start: number | null, now: number): Milestone {
  const steps = run.steps.filter((step) => step.phase === phase);
  if (steps.length === 0) return { status: 'no-steps' };
  const finished = steps.every((step) => step.state === 'done' || step.state === 'skipped');
  if (!finished) {
    if (run.state !== 'open') return { status: 'not-reached' };
    return start === null || Number.isNaN(now) ? { status: 'unknown' } : { status: 'pending', elapsedMs: Math.max(0, now - start) };
  }
  const done = steps.filter((step) => step.state === 'done');
  if (done.length === 0) return { status: 'skipped' };
  let last: number | null = null;
  for (const step of done) {
    const at = parse(step.doneAt);
    // A done step without a readable time leaves the phase's end unknown, not earlier than it was.
    if (at === null) return { status: 'unknown' };
    if (last === null || at > last) last = at;
  }
  if (start === null || last === null || last < start) return { status: 'unknown' };
  return { status: 'reached', ms: last - start, at: new Date(last).toISOString() };
}

/** `now` is when the report is made: an open run's durations are measured to it. */
export function runDurations(run: PlaybookRun, now: Date): RunDurations {
  const start = parse(run.startedAt);
  const nowMs = now.getTime();
  let total: Total;
  if (start === null) total = { status: 'unknown' };
  else if (run.state === 'open') total = Number.isNaN(nowMs) ? { status: 'unknown' } : { status: 'open', elapsedMs: Math.max(0, nowMs - start) };
  else {
    const end = parse(run.completedAt);
    total = end === null || end < start ? { status: 'unknown' } : { status: run.state, ms: end - start, at: new Date(end).toISOString() };
  }
  return { contain: milestone(run, 'contain', start, nowMs), rotate: milestone(run, 'rotate', start, nowMs), total };
}

/** `45 s`, `12 min 05 s`, `3 h 04 min 05 s`, `2 d 03 h 04 min`: the three largest units from the first that is not zero. */
export function formatDuration(ms: number): string {
  let seconds = Math.round(Math.max(0, ms) / 1000);
  const days = Math.floor(seconds / 86_400);
  seconds -= days * 86_400;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const units: [number, string][] = [
    [days, 'd'],
    [hours, 'h'],
    [minutes, 'min'],
    [seconds, 's'],
  ];
  const first = units.findIndex(([value]) => value > 0);
  if (first === -1) return '0 s';
  return units
    .slice(first, first + 3)
    .map(([value, unit], i) => `${i === 0 ? value : String(value).padStart(2, '0')} ${unit}`)
    .join(' ');
}

/** `2026-01-15 12:03:07 UTC` (without ` UTC` under a heading that says so), or null when the text is not a time. */
export function formatUtc(iso: string | null, withZone = true): string | null {
  const ms = parse(iso);
  if (ms === null) return null;
  const text = new Date(ms).toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 19)}${withZone ? ' UTC' : ''}`;
}

/** The sentence a reader sees for a milestone. */
export function describeMilestone(value: Milestone, phase: 'contain' | 'rotate'): string {
  switch (value.status) {
    case 'reached':
      return `${formatDuration(value.ms)} (at ${formatUtc(value.at)})`;
    case 'pending':
      return `not yet: ${formatDuration(value.elapsedMs)} since the start and counting`;
    case 'not-reached':
      return `not reached: the run ended with ${phase} steps unfinished`;
    case 'skipped':
      return `not measured: every ${phase} step was skipped`;
    case 'no-steps':
      return `not measured: the run has no ${phase} step`;
    case 'unknown':
      return 'unknown: a step or the run has no readable time';
  }
}

export function describeTotal(value: Total): string {
  switch (value.status) {
    case 'completed':
      return `${formatDuration(value.ms)} (completed at ${formatUtc(value.at)})`;
    case 'abandoned':
      return `${formatDuration(value.ms)} (abandoned at ${formatUtc(value.at)})`;
    case 'open':
      return `open: ${formatDuration(value.elapsedMs)} elapsed so far`;
    case 'unknown':
      return 'unknown: the run has no readable start or end time';
  }
}
