import { JOB_STATUSES, type JobStatus, type Stats } from "../../api/types";
import { statusLabel } from "../../components/StatusBadge";

interface Props {
  stats: Stats | undefined;
  selected?: JobStatus;
  onSelect: (status: JobStatus | undefined) => void;
}

/** Counts of the user's jobs per status; each count filters the list below when pressed. */
export function StatusCounts({ stats, selected, onSelect }: Props) {
  return (
    <ul className="status-counts" aria-label="Your jobs by status">
      <li>
        <button
          type="button"
          className={`status-count${selected ? "" : " status-count--selected"}`}
          aria-pressed={!selected}
          onClick={() => onSelect(undefined)}
        >
          <span className="status-count__number">{stats?.total ?? "–"}</span>
          <span className="status-count__label">All jobs</span>
        </button>
      </li>
      {JOB_STATUSES.map((status) => (
        <li key={status}>
          <button
            type="button"
            className={`status-count status-count--${status}${selected === status ? " status-count--selected" : ""}`}
            aria-pressed={selected === status}
            onClick={() => onSelect(selected === status ? undefined : status)}
          >
            <span className="status-count__number">{stats?.[status] ?? "–"}</span>
            <span className="status-count__label">{statusLabel(status)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
