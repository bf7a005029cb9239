interface Props {
  page: number;
  pageSize: number;
  total: number;
  /** The server says there is a next page (its `next` cursor is set). */
  hasNext: boolean;
  onPage: (page: number) => void;
}

/** "Showing 11–20 of 45" with Previous / Next. */
export function Pagination({ page, pageSize, total, hasNext, onPage }: Props) {
  if (total <= pageSize && page === 1) return null;
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pagination" aria-label="Pages">
      <button type="button" className="button button--ghost button--small" onClick={() => onPage(page - 1)} disabled={page <= 1}>
        ← Newer
      </button>
      <span className="pagination__status" aria-live="polite">
        {total > 0 ? `${first}–${last} of ${total}` : "No jobs"} · page {page} of {pages}
      </span>
      <button type="button" className="button button--ghost button--small" onClick={() => onPage(page + 1)} disabled={!hasNext && page >= pages}>
        Older →
      </button>
    </nav>
  );
}
