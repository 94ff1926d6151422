/**
 * The findings of a scan: TanStack Table for the columns and a client-side sort (worst first by
 * default), TanStack Virtual for the rows, since a log can hold thousands of secrets. A matched
 * finding can be ticked for a playbook; a row opens its detail below the table.
 */
import {
  createColumnHelper,
  createSortedRowModel,
  rowSortingFeature,
  sortFn_basic,
  sortFn_text,
  tableFeatures,
  useTable,
  type SortingState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { LeakFinding } from '../../../shared/leaks';
import { severityRank } from '../../../shared/tokens';
import { isMatched, matchText, placeText, plural, SEVERITY_LABELS } from './labels';
import { SortableColumnHeader } from '../../ui/SortableColumnHeader';

const ROW_HEIGHT = 44;
/** Rows shown before the table scrolls inside itself. */
const VISIBLE_ROWS = 12;

const features = tableFeatures({ rowSortingFeature, sortedRowModel: createSortedRowModel() });
const column = createColumnHelper<typeof features, LeakFinding>();

const whereOf = (finding: LeakFinding) => finding.places[0] ?? { line: 0, column: 0 };

/** Fixed widths for the short columns; the rest share what is left. */
const WIDTHS: Record<string, string> = {
  choose: '34px',
  severity: '98px',
  what: 'minmax(0, 1.3fr)',
  where: '112px',
  masked: '190px',
  assignedTo: 'minmax(0, 0.9fr)',
  match: 'minmax(0, 1.8fr)',
};

/** Two lines: the name, then what the inventory says of it. */
function Match({ finding }: { finding: LeakFinding }) {
  const [first, ...others] = finding.matches;
  if (!first) return <span className="muted">Unknown</span>;
  const [name, ...facts] = matchText(first).split(' · ');
  return (
    <span className="cell-lines" title={finding.matches.map(matchText).join('\n')}>
      <strong className="truncate">{name}</strong>
      <span className="truncate small">
        {facts.join(' · ')}
        {others.length > 0 && <span className="muted"> · +{others.length} more</span>}
      </span>
    </span>
  );
}

const columns = column.columns([
  column.display({ id: 'choose', header: '', enableSorting: false }),
  column.accessor((finding) => severityRank(finding.severity), {
    id: 'severity',
    header: 'Severity',
    sortFn: sortFn_basic,
    cell: ({ row }) => <span className={`severity ${row.original.severity}`}>{SEVERITY_LABELS[row.original.severity]}</span>,
  }),
  column.accessor((finding) => `${finding.provider} ${finding.format}`, {
    id: 'what',
    header: 'What',
    sortFn: sortFn_text,
    cell: ({ row }) => (
      <span className="cell-lines" title={row.original.format}>
        <strong className="truncate">{row.original.provider}</strong>
        <span className="truncate small muted">{row.original.format}</span>
      </span>
    ),
  }),
  column.accessor((finding) => whereOf(finding).line * 1e7 + whereOf(finding).column, {
    id: 'where',
    header: 'Where',
    sortFn: sortFn_basic,
    cell: ({ row }) => (
      <span>
        <span className="mono">{placeText(whereOf(row.original))}</span>
        {row.original.occurrences > 1 && <span className="muted small"> +{(row.original.occurrences - 1).toLocaleString('en')} more</span>}
      </span>
    ),
  }),
  column.display({
    id: 'masked',
    header: 'Value (masked)',
    enableSorting: false,
    cell: ({ row }) => <span className="mono">{row.original.masked}</span>,
  }),
  column.accessor((finding) => finding.assignedTo ?? '', {
    id: 'assignedTo',
    header: 'Assigned to',
    sortFn: sortFn_text,
    cell: ({ row }) => (row.original.assignedTo ? <span className="mono" title={row.original.assignedTo}>{row.original.assignedTo}</span> : <span className="muted">—</span>),
  }),
  column.accessor((finding) => (finding.matches[0] ? `0${finding.matches[0].name}` : '1'), {
    id: 'match',
    header: 'Inventory match',
    sortFn: sortFn_text,
    cell: ({ row }) => <Match finding={row.original} />,
  }),
]);

interface FindingsTableProps {
  findings: LeakFinding[];
  chosen: string[];
  openId: string | null;
  onToggle(id: string): void;
  onChooseAll(ids: string[]): void;
  onOpen(id: string): void;
}

function describe(finding: LeakFinding): string {
  return `${finding.format} at ${placeText(whereOf(finding))}`;
}

export function FindingsTable({ findings, chosen, openId, onToggle, onChooseAll, onOpen }: FindingsTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const allBox = useRef<HTMLInputElement>(null);
  const [sorting, setSorting] = useState<SortingState>([{ id: 'severity', desc: false }]);
  const table = useTable({
    features,
    columns,
    data: findings,
    getRowId: (finding) => finding.id,
    enableSortingRemoval: false,
    state: { sorting },
    onSortingChange: setSorting,
  });
  const rows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const matched = findings.filter(isMatched).map((f) => f.id);
  const chosenSet = new Set(chosen);
  const allChosen = matched.length > 0 && matched.every((id) => chosenSet.has(id));
  const someChosen = !allChosen && matched.some((id) => chosenSet.has(id));
  useEffect(() => {
    if (allBox.current) allBox.current.indeterminate = someChosen;
  }, [someChosen]);

  const widths = table.getAllLeafColumns().map((c) => WIDTHS[c.id]).join(' ');
  return (
    <div className="grid leak-grid" role="table" aria-label="Findings" aria-rowcount={rows.length + 1} style={{ ['--columns' as string]: widths }}>
      <div role="rowgroup" className="grid-head">
        {table.getHeaderGroups().map((group) => (
          <div role="row" className="grid-row" key={group.id}>
            {group.headers.map((header) => {
              const sorted = header.column.getIsSorted();
              if (header.column.id === 'choose') {
                return (
                  <div role="columnheader" key={header.id} className="leak-check">
                    <input
                      ref={allBox}
                      type="checkbox"
                      aria-label="Choose every matched finding"
                      disabled={matched.length === 0}
                      checked={allChosen}
                      onChange={() => onChooseAll(allChosen ? [] : matched)}
                    />
                  </div>
                );
              }
              return (
                <SortableColumnHeader key={header.id} sorted={sorted} onToggle={header.column.getCanSort() ? header.column.getToggleSortingHandler() : undefined}>
                  <table.FlexRender header={header} />
                </SortableColumnHeader>
              );
            })}
          </div>
        ))}
      </div>
      <div ref={scroller} role="rowgroup" className="grid-body" style={{ height: Math.min(rows.length, VISIBLE_ROWS) * ROW_HEIGHT + 2 }}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            const finding = row.original;
            const canChoose = isMatched(finding);
            return (
              <div
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={finding.id === openId}
                tabIndex={0}
                className={`grid-row${canChoose ? ' matched' : ''}`}
                key={finding.id}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                data-finding-id={finding.id}
                onClick={() => onOpen(finding.id)}
                onKeyDown={(event) => {
                  if (event.target === event.currentTarget && (event.key === 'Enter' || event.key === ' ')) {
                    event.preventDefault();
                    onOpen(finding.id);
                  }
                }}
              >
                {row.getAllCells().map((cell) =>
                  cell.column.id === 'choose' ? (
                    <div role="cell" key={cell.id} className="leak-check" onClick={(event) => event.stopPropagation()}>
                      <input
                        type="checkbox"
                        aria-label={canChoose ? `Choose ${describe(finding)} for a playbook` : `${describe(finding)} matches nothing in the inventory`}
                        title={canChoose ? undefined : 'Only a finding that matches the inventory starts a playbook'}
                        disabled={!canChoose}
                        checked={chosenSet.has(finding.id)}
                        onChange={() => onToggle(finding.id)}
                      />
                    </div>
                  ) : (
                    <div role="cell" key={cell.id} className="truncate">
                      <table.FlexRender cell={cell} />
                    </div>
                  ),
                )}
              </div>
            );
          })}
        </div>
      </div>
      {rows.length > VISIBLE_ROWS && <p className="muted small leak-grid-foot">{plural(rows.length, 'finding')}: scroll the table for the rest.</p>}
    </div>
  );
}
