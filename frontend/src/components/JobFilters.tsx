import { JOB_KINDS, JOB_STATUSES, type JobKind, type JobStatus } from "../api/types";
import { KIND_LABELS } from "./JobCard";
import { statusLabel } from "./StatusBadge";

interface Props {
  kind?: JobKind;
  status?: JobStatus;
  onChange: (filters: { kind?: JobKind; status?: JobStatus }) => void;
}

export function JobFilters({ kind, status, onChange }: Props) {
  return (
    <div className="filters" role="group" aria-label="Filter jobs">
      <label className="filters__field">
        <span>Kind</span>
        <select value={kind ?? ""} onChange={(e) => onChange({ kind: (e.target.value || undefined) as JobKind | undefined, status })}>
          <option value="">All kinds</option>
          {JOB_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <label className="filters__field">
        <span>Status</span>
        <select value={status ?? ""} onChange={(e) => onChange({ kind, status: (e.target.value || undefined) as JobStatus | undefined })}>
          <option value="">Any status</option>
          {JOB_STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </select>
      </label>
      {(kind || status) && (
        <button type="button" className="link-button" onClick={() => onChange({})}>
          Clear filters
        </button>
      )}
    </div>
  );
}
