/**
 * The inventory as the virtual table needs it: the total, and pages of summaries fetched as they
 * scroll into view. A new query starts a new generation; answers to an older one are dropped, so
 * typing fast never shows the results of a search the user has already changed.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CredentialQuery, CredentialSummary } from '../../../shared/credentials';
import { api, messageOf, unwrap } from '../../api';

export const PAGE_SIZE = 100;
/** Pages kept around the view; further ones are dropped so 100,000 rows never sit in memory. */
const KEEP_PAGES = 12;

interface Loaded {
  /** The query generation these pages answer. */
  generation: number;
  total: number | null;
  pages: Map<number, CredentialSummary[]>;
  error: string | null;
}

export interface CredentialPages extends Loaded {
  rowAt(index: number): CredentialSummary | undefined;
  /** Asks for the pages holding rows first..last (inclusive). */
  ensure(first: number, last: number): void;
}

export function useCredentialPages(query: CredentialQuery, revision: number): CredentialPages {
  const key = JSON.stringify(query);
  const [loaded, setLoaded] = useState<Loaded>({ generation: 0, total: null, pages: new Map(), error: null });
  const generation = useRef(0);
  const requested = useRef(new Set<number>());
  const queryRef = useRef(query);
  queryRef.current = query;

  const load = useCallback((page: number) => {
    if (requested.current.has(page)) return;
    requested.current.add(page);
    const started = generation.current;
    unwrap(api().credentials.list({ ...queryRef.current, offset: page * PAGE_SIZE, limit: PAGE_SIZE })).then(
      ({ credentials, total }) => {
        if (started !== generation.current) return;
        setLoaded((current) => {
          // The first answer to a new query replaces every page of the old one.
          const pages = new Map(current.generation === started ? current.pages : []).set(page, credentials);
          for (const kept of pages.keys()) if (Math.abs(kept - page) > KEEP_PAGES) {
            pages.delete(kept);
            requested.current.delete(kept);
          }
          return { generation: started, total, pages, error: null };
        });
      },
      (error: unknown) => {
        if (started !== generation.current) return;
        requested.current.delete(page);
        setLoaded((current) => ({ ...current, error: messageOf(error) }));
      },
    );
  }, []);

  useEffect(() => {
    generation.current += 1;
    requested.current = new Set();
    // The previous rows stay on screen until the new first page arrives, so the table does not flash.
    load(0);
  }, [key, revision, load]);

  const ensure = useCallback(
    (first: number, last: number) => {
      for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) load(page);
    },
    [load],
  );

  const rowAt = useCallback((index: number) => loaded.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE], [loaded.pages]);

  return { ...loaded, rowAt, ensure };
}
