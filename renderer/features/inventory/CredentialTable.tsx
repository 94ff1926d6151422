/**
 * The inventory table: TanStack Table for columns and sort state (sorting is done by the core, over
 * the whole inventory), TanStack Virtual for the rows, so only what is on screen is in the DOM.
 */
import { columnSizingFeature, createColumnHelper, rowSortingFeature, tableFeatures, useTable, type SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import type { CredentialSummary } from '../../../shared/credentials';
import { day, relative } from './dates';
import { KIND_LABELS, PROVIDER_LABELS, STATUS_LABELS } from './labels';
import type { SortId } from './store';
import { PAGE_SIZE, type CredentialPages } from './useCredentialPages';
import { SortableColumnHeader } from '../../ui/SortableColumnHeader';

const ROW_HEIGHT = 36;

interface Slot {
  index: number;
  credential: CredentialSummary;
}

const features = tableFeatures({ rowSortingFeature, columnSizingFeature });
const column = createColumnHelper<typeof features, Slot>();

function Findings({ credential }: { credential: CredentialSummary }) {
  if (credential.findings.length === 0) return <span className="muted">—</span>;
  const worst = credential.findings.some((f) => f.severity === 'high') ? 'high' : credential.findings.some((f) => f.severity === 'medium') ? 'medium' : 'low';
  return (
    <span className={`badge ${worst}`} title={credential.findings.map((f) => f.code).join(', ')}>
      {credential.findings.length} · {credential.findings[0].code}
    </span>
  );
}

const columns = column.columns([
  column.accessor((slot) => slot.credential.name, {
    id: 'name',
    header: 'Name',
    size: 230,
    cell: ({ row }) => (
      <span className="cell-name">
        <span className="truncate">{row.original.credential.name}</span>
        {row.original.credential.fingerprint && <span className="mono muted fp">{row.original.credential.fingerprint}</span>}
      </span>
    ),
  }),
  column.accessor((slot) => KIND_LABELS[slot.credential.kind], { id: 'kind', header: 'Kind', size: 120 }),
  column.accessor((slot) => slot.credential.environment, { id: 'environment', header: 'Environment', size: 125 }),
  column.accessor((slot) => slot.credential.owner ?? '—', { id: 'owner', header: 'Owner', size: 120 }),
  column.accessor((slot) => PROVIDER_LABELS[slot.credential.provider], { id: 'provider', header: 'Provider', size: 90 }),
  column.accessor((slot) => STATUS_LABELS[slot.credential.status], { id: 'status', header: 'Status', size: 80 }),
  column.accessor((slot) => slot.credential.expiresAt, {
    id: 'expiresAt',
    header: 'Expires',
    size: 112,
    cell: ({ row }) => {
      const at = row.original.credential.expiresAt;
      return <span title={at ? relative(at) : 'No expiry'}>{day(at)}</span>;
    },
  }),
  column.accessor((slot) => slot.credential.lastRotatedAt, {
    id: 'lastRotatedAt',
    header: 'Rotated',
    size: 112,
    cell: ({ row }) => {
      const at = row.original.credential.lastRotatedAt;
      return <span title={at ? relative(at) : 'Never rotated'}>{at ? day(at) : 'never'}</span>;
    },
  }),
  column.display({ id: 'findings', header: 'Findings', size: 170, enableSorting: false, cell: ({ row }) => <Findings credential={row.original.credential} /> }),
]);

interface CredentialTableProps {
  pages: CredentialPages;
  sort: { id: SortId; desc: boolean };
  onSort(sort: { id: SortId; desc: boolean }): void;
  selectedId: string | null;
  onOpen(id: string): void;
}

export function CredentialTable({ pages, sort, onSort, selectedId, onOpen }: CredentialTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const total = pages.total ?? 0;
  const data = useMemo(
    () => [...pages.pages.entries()].flatMap(([page, credentials]) => credentials.map((credential, i) => ({ index: page * PAGE_SIZE + i, credential }))),
    [pages.pages],
  );
  const sorting: SortingState = useMemo(() => [{ id: sort.id, desc: sort.desc }], [sort]);
  const table = useTable({
    features,
    columns,
    data,
    getRowId: (slot) => String(slot.index),
    manualSorting: true,
    enableSortingRemoval: false,
    state: { sorting },
    onSortingChange: (updater) => {
      const [next] = typeof updater === 'function' ? updater(sorting) : updater;
      if (next) onSort({ id: next.id as SortId, desc: next.desc });
    },
  });
  const rowsById = table.getRowModel().rowsById;
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { ensure, generation } = pages;
  // Again for each new answer set (a sort, an edit, an import): the rows in view must be reloaded
  // even when the scroll position and the total stayed the same.
  useEffect(() => {
    if (total > 0) ensure(first, last);
  }, [ensure, first, last, total, generation]);

  const widths = table.getAllLeafColumns().map((c) => `minmax(0, ${c.getSize()}fr)`).join(' ');
  return (
    <div className="grid" role="table" aria-label="Credentials" aria-rowcount={total + 1} style={{ ['--columns' as string]: widths }}>
      <div role="rowgroup" className="grid-head">
        {table.getHeaderGroups().map((group) => (
          <div role="row" className="grid-row" key={group.id}>
            {group.headers.map((header) => {
              const sorted = header.column.getIsSorted();
              return (
                <SortableColumnHeader key={header.id} sorted={sorted} onToggle={header.column.getCanSort() ? header.column.getToggleSortingHandler() : undefined}>
                  <table.FlexRender header={header} />
                </SortableColumnHeader>
              );
            })}
          </div>
        ))}
      </div>
      <div ref={scroller} role="rowgroup" className="grid-body" data-testid="credential-rows">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rowsById[String(item.index)];
            const style = { transform: `translateY(${item.start}px)`, height: ROW_HEIGHT };
            if (!row) {
              return (
                <div role="row" aria-rowindex={item.index + 2} className="grid-row placeholder" key={`slot-${item.index}`} style={style}>
                  <div role="cell" className="muted">
                    Loading…
                  </div>
                </div>
              );
            }
            const credential = row.original.credential;
            return (
              <div
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={credential.id === selectedId}
                tabIndex={0}
                className="grid-row"
                key={credential.id}
                style={style}
                data-credential-name={credential.name}
                onClick={() => onOpen(credential.id)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter') onOpen(credential.id);
                }}
              >
                {row.getAllCells().map((cell) => (
                  <div role="cell" key={cell.id} className="truncate">
                    <table.FlexRender cell={cell} />
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
