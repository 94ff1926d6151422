/**
 * leaks.scan: MB/s of the real scan path (createCore with a real vault, leaks:scanFile through the
 * file dialog, polling leaks:status until done) over a 100 MB synthetic log with planted secrets,
 * against `grep -E -o -n -f patterns` with the same finders' ERE twins over the same file, in the
 * same run (page cache warmed, median of 3 each; ratio = our time / grep's time, goal <= 1.5).
 * leaks.recall / leaks.precision: of the leak corpus through leaks:scanText (0..1, no baseline).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../electron/core/core';
import { FINDERS } from '../../electron/core/secrets/detectors';
import type { LeakFinding, ScanStatus } from '../../shared/leaks';
import { buildLeakCorpus, writeSyntheticLog } from '../support/leak-corpus';
import { createTestPlatform, STRONG_PASSPHRASE, type TestPlatform } from '../support/test-platform';
import { median, report, type Bench } from './report';

const MB = 1024 * 1024;
const SIZE = 100 * MB;
const RUNS = 3;

async function call<T>(core: Core, channel: string, input: unknown): Promise<T> {
  const answer = await core.router.invoke(channel, input);
  if (!answer.ok) throw new Error(`${channel}: ${answer.error.message}`);
  return answer.value as T;
}

async function scanFile(core: Core, platform: TestPlatform, path: string): Promise<{ ms: number; status: ScanStatus }> {
  platform.chosenFiles.push(path);
  const started = performance.now();
  const { scan } = await call<{ scan: ScanStatus }>(core, 'leaks:scanFile', { source: 'bench' });
  let status = scan;
  while (status.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 2));
    status = await call<ScanStatus>(core, 'leaks:status', { scanId: scan.scanId });
  }
  const ms = performance.now() - started;
  if (status.state !== 'done') throw new Error(`bench scan ended ${status.state}: ${status.error}`);
  await call(core, 'leaks:discard', { scanId: scan.scanId });
  return { ms, status };
}

function grep(patterns: string, path: string): { ms: number } {
  const env = { ...process.env, LC_ALL: 'C' };
  const started = performance.now();
  const run = spawnSync('grep', ['-E', '-o', '-n', '-f', patterns, path], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - started;
  if (run.status !== 0 && run.status !== 1) throw new Error(`grep failed: ${run.stderr.toString()}`);
  return { ms };
}

function grepMatches(patterns: string, path: string): number {
  const out = execFileSync('sh', ['-c', 'grep -E -o -n -f "$1" "$2" | wc -l', 'sh', patterns, path], { env: { ...process.env, LC_ALL: 'C' } });
  return Number(out.toString().trim());
}

async function benchScan(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'credops-bench-leaks-'));
  const platform = createTestPlatform(dir);
  const core = createCore({ platform, calibrateKdf: false, log: () => undefined });
  try {
    await core.vault.create(join(dir, 'credops.vault'), STRONG_PASSPHRASE);
    const path = join(dir, 'big.log');
    const log = await writeSyntheticLog(path, SIZE);
    const patterns = join(dir, 'patterns.txt');
    writeFileSync(patterns, FINDERS.map((f) => f.ere).join('\n') + '\n');
    // This machine reclaims page cache within a second of idling: reading 100 MB then takes 280 ms
    // instead of 17. Each timed run, ours and grep's, starts right after the file was read once more.
    const warm = () => void spawnSync('cat', [path], { stdio: ['ignore', 'ignore', 'ignore'] });
    const grepVersion = execFileSync('grep', ['--version']).toString().split('\n')[0];
    await scanFile(core, platform, path); // warm-up of ours
    grep(patterns, path);
    const ours: number[] = [];
    const theirs: number[] = [];
    let status: ScanStatus | null = null;
    for (let run = 0; run < RUNS; run++) {
      warm();
      const scanned = await scanFile(core, platform, path);
      ours.push(scanned.ms);
      status = scanned.status;
      warm();
      theirs.push(grep(patterns, path).ms);
    }
    const mbps = (ms: number) => log.bytes / MB / (ms / 1000);
    const [oursMs, grepMs] = [median(ours), median(theirs)];
    report({
      bench: 'leaks.scan',
      value: mbps(oursMs),
      unit: `MB/s scanning a ${Math.round(log.bytes / MB)} MB log (leaks:scanFile to done, polled), median of ${RUNS}; goal ratio <= 1.5`,
      baseline: `grep -E -o -n -f <${FINDERS.length} finder EREs> (LC_ALL=C)`,
      baselineValue: mbps(grepMs),
      ratio: oursMs / grepMs,
      grep: grepVersion,
      locale: 'LC_ALL=C',
      oursMs: Math.round(oursMs),
      grepMs: Math.round(grepMs),
      ourFindings: status?.found ?? null,
      grepMatches: grepMatches(patterns, path),
      planted: log.planted,
      plantedOccurrences: log.occurrences,
      lines: log.lines,
    });
  } finally {
    core.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchCorpus(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'credops-bench-leaks-'));
  const platform = createTestPlatform(dir);
  const core = createCore({ platform, calibrateKdf: false, log: () => undefined });
  try {
    await core.vault.create(join(dir, 'credops.vault'), STRONG_PASSPHRASE);
    const corpus = await buildLeakCorpus();
    const status = await call<ScanStatus>(core, 'leaks:scanText', { text: corpus.text, source: 'corpus' });
    const { findings } = await call<{ findings: LeakFinding[] }>(core, 'leaks:findings', { scanId: status.scanId });
    // A finding is a planted secret when it is that secret's kind and provider at exactly its places.
    const key = (kind: string, provider: string, places: { line: number; column: number }[]) => `${kind}/${provider}/${JSON.stringify(places.slice(0, 20))}`;
    const planted = new Set(corpus.planted.map((p) => key(p.kind, p.provider, p.places)));
    const hits = findings.filter((f) => planted.has(key(f.kind, f.provider, f.places)));
    const truePositives = new Set(hits.map((f) => key(f.kind, f.provider, f.places))).size;
    const recall = truePositives / corpus.planted.length;
    const precision = findings.length === 0 ? 1 : hits.length / findings.length;
    const common = { baseline: null, baselineValue: null, ratio: null, planted: corpus.planted.length, decoys: corpus.decoys.length, findings: findings.length };
    report({ bench: 'leaks.recall', value: recall, unit: 'planted secrets found / planted (leak corpus, leaks:scanText)', ...common, missed: corpus.planted.length - truePositives });
    report({ bench: 'leaks.precision', value: precision, unit: 'findings that are planted secrets / findings (leak corpus, leaks:scanText)', ...common, falsePositives: findings.length - hits.length });
  } finally {
    core.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const leakBenches: Bench[] = [
  { figures: ['leaks.scan'], run: benchScan },
  { figures: ['leaks.recall', 'leaks.precision'], run: benchCorpus },
];
