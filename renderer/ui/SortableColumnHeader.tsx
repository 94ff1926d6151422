/**
 * A column header of the app's grid tables: a button that sorts when the column can be sorted,
 * with the direction shown and told to assistive technology by aria-sort.
 */
import type { ReactNode } from 'react';

interface SortableColumnHeaderProps {
  sorted: false | 'asc' | 'desc';
  /** The column's sort toggle, or undefined when it cannot be sorted. */
  onToggle: ((event: unknown) => void) | undefined;
  children: ReactNode;
}

export function SortableColumnHeader({ sorted, onToggle, children }: SortableColumnHeaderProps) {
  return (
    <div role="columnheader" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
      {onToggle ? (
        <button type="button" className="sort-button" onClick={onToggle}>
          {children}
          <span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}</span>
        </button>
      ) : (
        children
      )}
    </div>
  );
}
