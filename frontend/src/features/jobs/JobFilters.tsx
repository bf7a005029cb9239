import { JOB_KINDS, JOB_STATUSES, type JobKind, type JobStatus } from "../../api/types";
import { EnumSelect } from "../../components/ui/EnumSelect";
import { KIND_LABELS } from "./JobCard";
import { STATUS_LABELS } from "../../components/StatusBadge";

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
        <EnumSelect
          value={kind ?? ""}
          options={JOB_KINDS}
          labels={KIND_LABELS}
          emptyLabel="All kinds"
          onChange={(k) => onChange({ kind: k || undefined, status })}
        />
      </label>
      <label className="filters__field">
        <span>Status</span>
        <EnumSelect
          value={status ?? ""}
          options={JOB_STATUSES}
          labels={STATUS_LABELS}
          emptyLabel="Any status"
          onChange={(s) => onChange({ kind, status: s || undefined })}
        />
      </label>
      {(kind || status) && (
        <button type="button" className="link-button" onClick={() => onChange({})}>
          Clear filters
        </button>
      )}
    </div>
  );
}
