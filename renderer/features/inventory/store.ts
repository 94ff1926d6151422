/**
 * The Inventory screen's state that outlives a visit: the search, filters and sort the user chose,
 * the credential open in the detail panel, and a counter that tells the list its data changed.
 */
import { create } from 'zustand';
import type { CREDENTIAL_SORTS, CredentialQuery } from '../../../shared/credentials';

export type Filters = Pick<CredentialQuery, 'kind' | 'environment' | 'owner' | 'status' | 'finding'>;
export type SortId = (typeof CREDENTIAL_SORTS)[number];

interface InventoryState {
  text: string;
  filters: Filters;
  sort: { id: SortId; desc: boolean };
  selectedId: string | null;
  /** Moves whenever the inventory changed, so lists and counts load again. */
  revision: number;
  setText(text: string): void;
  setFilter<K extends keyof Filters>(key: K, value: Filters[K] | undefined): void;
  clearFilters(): void;
  setSort(sort: { id: SortId; desc: boolean }): void;
  select(id: string | null): void;
  changed(): void;
  /** Forgets everything: on lock, nothing of the last session's view should survive. */
  reset(): void;
}

const initial = { text: '', filters: {}, sort: { id: 'name' as SortId, desc: false }, selectedId: null, revision: 0 };

export const useInventory = create<InventoryState>((set) => ({
  ...initial,
  setText: (text) => set({ text }),
  setFilter: (key, value) => set((s) => ({ filters: { ...s.filters, [key]: value || undefined } })),
  clearFilters: () => set({ filters: {}, text: '' }),
  setSort: (sort) => set({ sort }),
  select: (selectedId) => set({ selectedId }),
  changed: () => set((s) => ({ revision: s.revision + 1 })),
  reset: () => set((s) => ({ ...initial, revision: s.revision + 1 })),
}));

/** The list query the current state asks for, without paging. */
export function currentQuery(s: Pick<InventoryState, 'text' | 'filters' | 'sort'>): CredentialQuery {
  const query: CredentialQuery = { text: s.text.slice(0, 200), sort: s.sort.id, direction: s.sort.desc ? 'desc' : 'asc' };
  // Blank text filters mean "any"; the core would refuse them as empty labels.
  for (const [key, value] of Object.entries(s.filters)) if (typeof value === 'string' && value.trim()) Object.assign(query, { [key]: value.trim() });
  return query;
}
