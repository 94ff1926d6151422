/**
 * The Leak triage screen's state that outlives a visit: the scan (its id and last status), its
 * findings once read, the findings chosen for playbooks, the one open in detail and the runs
 * started from them. The scanned text is not here: it lives in the input that holds it and goes
 * with the screen. Nothing is persisted; a lock forgets everything.
 */
import { create } from 'zustand';
import type { LeakFinding, ScanStatus } from '../../../shared/leaks';

export interface StartedRun {
  runId: string;
  credentialId: string;
  credentialName: string;
  templateName: string;
}

interface LeaksState {
  /** Where the text came from, as typed: it labels the scan and goes into a playbook's evidence. */
  source: string;
  scan: ScanStatus | null;
  /** Null until the findings of a finished (or cancelled) scan are read. */
  findings: LeakFinding[] | null;
  /** Finding ids ticked for playbooks: matched findings only. */
  chosen: string[];
  openId: string | null;
  runs: StartedRun[] | null;
  setSource(source: string): void;
  /** A new scan answered: what was shown of the previous one goes. */
  started(scan: ScanStatus): void;
  /** A status of the current scan (a poll or a cancel); an answer about an older scan is dropped. */
  progressed(status: ScanStatus): void;
  loaded(status: ScanStatus, findings: LeakFinding[]): void;
  toggle(id: string): void;
  choose(ids: string[]): void;
  open(id: string | null): void;
  runsStarted(runs: StartedRun[]): void;
  /** Clears the results (after a discard); the source stays for the next scan. */
  cleared(): void;
  /** Forgets everything: on lock, nothing of the last session's view should survive. */
  reset(): void;
}

const initial = { source: '', scan: null, findings: null, chosen: [], openId: null, runs: null };
const results = { scan: null, findings: null, chosen: [], openId: null, runs: null };

export const useLeaks = create<LeaksState>((set) => ({
  ...initial,
  setSource: (source) => set({ source }),
  started: (scan) => set({ ...results, scan }),
  progressed: (status) => set((s) => (s.scan?.scanId === status.scanId ? { scan: status } : s)),
  loaded: (status, findings) =>
    set((s) => {
      if (s.scan?.scanId !== status.scanId) return s;
      const ids = new Set(findings.filter((f) => f.matches.length > 0).map((f) => f.id));
      return { scan: status, findings, chosen: s.chosen.filter((id) => ids.has(id)), openId: s.openId ?? findings[0]?.id ?? null };
    }),
  toggle: (id) => set((s) => ({ chosen: s.chosen.includes(id) ? s.chosen.filter((x) => x !== id) : [...s.chosen, id] })),
  choose: (chosen) => set({ chosen }),
  open: (openId) => set({ openId }),
  runsStarted: (runs) => set({ runs, chosen: [] }),
  cleared: () => set(results),
  reset: () => set(initial),
}));
