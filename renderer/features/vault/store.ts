import { create } from 'zustand';
import type { VaultStatus } from '../../../shared/contract';
import { api, unwrap } from '../../api';

interface VaultStore {
  status: VaultStatus | null;
  /** Why the vault locked itself, shown on the unlock screen. */
  lockNotice: string | null;
  refresh(): Promise<void>;
  setStatus(status: VaultStatus): void;
  lock(): Promise<void>;
}

const LOCK_NOTICES: Record<string, string> = {
  idle: 'Locked after the idle time you set.',
  'screen-lock': 'Locked because the screen was locked.',
  suspend: 'Locked because the computer went to sleep.',
};

export const useVault = create<VaultStore>((set) => ({
  status: null,
  lockNotice: null,
  async refresh() {
    set({ status: await unwrap(api().vault.status()) });
  },
  setStatus(status) {
    set({ status, lockNotice: null });
  },
  async lock() {
    set({ status: await unwrap(api().vault.lock()), lockNotice: null });
  },
}));

/** Follows main's lock and unlock events; returns the unsubscribe function. */
export function followVaultEvents(): () => void {
  return api().vault.onStateChanged((event) => {
    void useVault
      .getState()
      .refresh()
      .then(() => useVault.setState({ lockNotice: LOCK_NOTICES[event.reason] ?? null }));
  });
}
