/**
 * The library's table: one scrolling window over every matching track, however many. Only the
 * rows in view (and a few either side) are in the page, and only their pages of the API's list
 * are fetched, so 10,000 tracks scroll like 25. The scrollbar stands for the whole list from the
 * start (the first page says how many there are); rows whose page is still on its way show a
 * placeholder of the same height. Rows have one fixed height (`ROW_HEIGHT`, kept by the
 * `.track-table--window` styles), so a row's place is its index times that height.
 */
import { useQueries } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { ErrorNotice } from '@/components/feedback';
import { TrackHeader, TrackRow, trackColumns, type Selection, type SortProps } from '@/components/track-table';
import type { TrackListItem } from '@/lib/schemas';
import { PAGE_SIZE, libraryKeys, listTracks, type TrackFilters } from '../api/library';

/** Height of one row [px]; `.track-table--window tbody tr` in styles.css is the same. */
export const ROW_HEIGHT = 44;
/** Rows drawn beyond each edge of the window, so a short scroll shows no placeholders. */
const OVERSCAN = 10;

/** The API pages (1-based) that hold rows `first` to `last` (0-based indices). */
export function pagesOf(first: number, last: number): number[] {
  const pages: number[] = [];
  for (let page = Math.floor(first / PAGE_SIZE) + 1; page <= Math.floor(last / PAGE_SIZE) + 1; page += 1) pages.push(page);
  return pages;
}

interface LibraryTableProps {
  /** The list's filters and ordering, without a page. */
  filters: TrackFilters;
  /** How many tracks match (from page 1). */
  count: number;
  sort: SortProps;
  selection: Selection;
}

export function LibraryTable({ filters, count, sort, selection }: LibraryTableProps) {
  const windowRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => windowRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
  });
  const rows = virtualizer.getVirtualItems();
  const pages = rows.length ? pagesOf(rows[0]!.index, rows[rows.length - 1]!.index) : [];
  const results = useQueries({
    queries: pages.map((page) => ({
      queryKey: libraryKeys.tracks({ ...filters, page }),
      queryFn: ({ signal }: { signal: AbortSignal }) => listTracks({ ...filters, page }, signal),
    })),
  });
  const loaded = new Map<number, TrackListItem>();
  pages.forEach((page, i) => results[i]?.data?.results.forEach((track, j) => loaded.set((page - 1) * PAGE_SIZE + j, track)));
  const failed = results.find((r) => r.error);

  // A new filter or order is a new list: start it at its top.
  const listKey = JSON.stringify(filters);
  useEffect(() => {
    virtualizer.scrollToOffset(0);
  }, [listKey]);

  const columns = trackColumns({ selection });
  const before = rows.length ? rows[0]!.start : 0;
  const after = rows.length ? virtualizer.getTotalSize() - rows[rows.length - 1]!.end : 0;
  return (
    <>
      {failed?.error ? <ErrorNotice error={failed.error} onRetry={() => results.forEach((r) => r.error && void r.refetch())} /> : null}
      <div ref={windowRef} className="table-scroll table-window" tabIndex={0} role="region" aria-label={`Tracks, ${count} in all; scroll to see more`}>
        <table className="table track-table track-table--window" aria-rowcount={count + 1}>
          <caption className="visually-hidden">Analysed tracks</caption>
          <thead>
            <TrackHeader ids={[...loaded.values()].map((t) => t.id)} sort={sort} selection={selection} />
          </thead>
          <tbody>
            {before > 0 ? (
              <tr aria-hidden="true" className="table-window__spacer" style={{ height: before }}>
                <td colSpan={columns} />
              </tr>
            ) : null}
            {rows.map((row) => {
              const track = loaded.get(row.index);
              return track ? (
                <TrackRow key={track.id} track={track} selection={selection} rowIndex={row.index + 2} />
              ) : (
                <tr key={`row-${row.index}`} aria-rowindex={row.index + 2} className="table-window__pending">
                  <td colSpan={columns} className="muted">
                    Loading…
                  </td>
                </tr>
              );
            })}
            {after > 0 ? (
              <tr aria-hidden="true" className="table-window__spacer" style={{ height: after }}>
                <td colSpan={columns} />
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </>
  );
}
