import { Link, useSearchParams } from "react-router";
import { api, errorMessage } from "../../api/client";
import { JOB_KINDS, JOB_STATUSES, type JobKind, type JobStatus } from "../../api/types";
import { Alert } from "../../components/ui/Alert";
import { JobCard } from "./JobCard";
import { JobFilters } from "./JobFilters";
import { Pagination } from "../../components/ui/Pagination";
import { Spinner } from "../../components/ui/Spinner";
import { StatusCounts } from "./StatusCounts";
import { useDocumentTitle } from "../../hooks/useDocumentTitle";
import { useJobList, useStats } from "../../hooks/useJobs";

export const PAGE_SIZE = 10;

function readFilters(search: URLSearchParams) {
  const kind = search.get("kind");
  const status = search.get("status");
  const page = Number(search.get("page") ?? "1");
  return {
    kind: JOB_KINDS.includes(kind as JobKind) ? (kind as JobKind) : undefined,
    status: JOB_STATUSES.includes(status as JobStatus) ? (status as JobStatus) : undefined,
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

/** The user's jobs, newest first, with counts per status, filters and pages. */
export function HistoryPage() {
  useDocumentTitle("History");
  const [search, setSearch] = useSearchParams();
  const { kind, status, page } = readFilters(search);
  const jobs = useJobList({ kind, status, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const stats = useStats();

  const update = (next: { kind?: JobKind; status?: JobStatus; page?: number }) => {
    const params = new URLSearchParams();
    if (next.kind) params.set("kind", next.kind);
    if (next.status) params.set("status", next.status);
    if (next.page && next.page > 1) params.set("page", String(next.page));
    setSearch(params);
  };

  const filtered = !!(kind || status);
  const data = jobs.data;

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Your jobs</h1>
          <p className="muted">Newest first. Progress updates live.</p>
        </div>
        <div className="page-head__actions">
          <Link to="/new/heatmap" className="button button--primary">
            New heatmap
          </Link>
          <Link to="/new/depth" className="button button--secondary">
            New depth maps
          </Link>
          <Link to="/compare" className="button button--secondary">
            Compare heatmaps
          </Link>
        </div>
      </div>

      {stats.isError ? (
        <Alert>Counts unavailable: {errorMessage(stats.error)}</Alert>
      ) : (
        <StatusCounts stats={stats.data} selected={status} onSelect={(s) => update({ kind, status: s })} />
      )}

      <div className="toolbar">
        <JobFilters kind={kind} status={status} onChange={(f) => update(f)} />
        {(stats.data?.succeeded ?? 0) > 0 && (
          <a className="button button--ghost button--small" href={api.jobs.allArchiveUrl("depth")} download>
            ↓ All my depth results (ZIP)
          </a>
        )}
      </div>

      {jobs.isPending && <Spinner label="Loading your jobs…" />}
      {jobs.isError && <Alert>{errorMessage(jobs.error)}</Alert>}
      {data && data.items.length === 0 && (
        <div className="empty-state card">
          {filtered ? (
            <>
              <h2>No jobs match these filters</h2>
              <button type="button" className="button button--secondary" onClick={() => update({})}>
                Show all jobs
              </button>
            </>
          ) : page > 1 ? (
            <>
              <h2>Nothing on this page</h2>
              <button type="button" className="button button--secondary" onClick={() => update({ kind, status })}>
                Back to the first page
              </button>
            </>
          ) : (
            <>
              <h2>No jobs yet</h2>
              <p className="muted">Upload a video to see where people walk and linger, or photos to estimate their depth.</p>
              <div className="empty-state__actions">
                <Link to="/new/heatmap" className="button button--primary">
                  Make a heatmap
                </Link>
                <Link to="/new/depth" className="button button--secondary">
                  Make depth maps
                </Link>
              </div>
            </>
          )}
        </div>
      )}
      {data && data.items.length > 0 && (
        <ul className={`job-list${jobs.isPlaceholderData ? " job-list--stale" : ""}`} aria-label="Jobs" aria-busy={jobs.isFetching && jobs.isPlaceholderData}>
          {data.items.map((job) => (
            <JobCard key={job.id} job={job} />
          ))}
        </ul>
      )}
      {data && <Pagination page={page} pageSize={PAGE_SIZE} total={data.total} hasNext={!!data.next} onPage={(p) => update({ kind, status, page: p })} />}
    </div>
  );
}
