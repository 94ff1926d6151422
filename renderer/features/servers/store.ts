/**
 * The Servers screen's state that outlives a visit: the list of servers, the one open and its tab.
 * Tokens pasted on the screen are not here: they live in the tab that holds them and go with it.
 */
import { create } from 'zustand';
import type { ServerSummary } from '../../../shared/servers';
import { api, messageOf, unwrap } from '../../api';

export type ServerTab = 'connection' | 'jwks' | 'token' | 'bulk' | 'sessions';

interface ServersState {
  servers: ServerSummary[] | null;
  error: string | null;
  selectedId: string | null;
  tab: ServerTab;
  load(): Promise<void>;
  select(id: string | null): void;
  setTab(tab: ServerTab): void;
  /** Puts a saved server into the list (added or edited) and opens it. */
  saved(server: ServerSummary): void;
  removed(id: string): void;
  /** Forgets everything: on lock, nothing of the last session's view should survive. */
  reset(): void;
}

const initial = { servers: null, error: null, selectedId: null, tab: 'connection' as ServerTab };
const byName = (a: ServerSummary, b: ServerSummary) => a.name.localeCompare(b.name);

export const useServers = create<ServersState>((set, get) => ({
  ...initial,
  load: async () => {
    try {
      const { servers } = await unwrap(api().servers.list());
      const selectedId = get().selectedId;
      const stillThere = servers.some((s) => s.id === selectedId);
      set({ servers: [...servers].sort(byName), error: null, selectedId: stillThere ? selectedId : (servers[0]?.id ?? null) });
    } catch (e) {
      set({ error: messageOf(e) });
    }
  },
  select: (selectedId) => set((s) => (s.selectedId === selectedId ? s : { selectedId, tab: 'connection' })),
  setTab: (tab) => set({ tab }),
  saved: (server) =>
    set((s) => ({
      servers: [...(s.servers ?? []).filter((x) => x.id !== server.id), server].sort(byName),
      selectedId: server.id,
      tab: s.selectedId === server.id ? s.tab : 'connection',
    })),
  removed: (id) =>
    set((s) => {
      const servers = (s.servers ?? []).filter((x) => x.id !== id);
      return { servers, selectedId: s.selectedId === id ? (servers[0]?.id ?? null) : s.selectedId, tab: 'connection' };
    }),
  reset: () => set(initial),
}));
