/**
 * The Playbooks screen's state that outlives a visit: the run open (or the library), and a start
 * asked for from another screen. The inventory's "Start playbook…" puts its credential here; the
 * app follows `startRequest` to the Playbooks screen, which opens the start form with it.
 */
import { create } from 'zustand';
import type { CredentialKind } from '../../../shared/credentials';

export interface StartRequest {
  credentialId: string;
  credentialName: string;
  kind: CredentialKind;
}

interface PlaybooksState {
  openRunId: string | null;
  startRequest: StartRequest | null;
  openRun(id: string | null): void;
  requestStart(request: StartRequest): void;
  clearStartRequest(): void;
  /** Forgets everything: on lock, nothing of the last session's view should survive. */
  reset(): void;
}

const initial = { openRunId: null, startRequest: null };

export const usePlaybooks = create<PlaybooksState>((set) => ({
  ...initial,
  openRun: (openRunId) => set({ openRunId }),
  requestStart: (startRequest) => set({ startRequest }),
  clearStartRequest: () => set({ startRequest: null }),
  reset: () => set(initial),
}));
