import type { ItemStatus, JobStatus } from "../api/types";

export const STATUS_LABELS: Record<JobStatus | ItemStatus, string> = {
  queued: "Queued",
  running: "Running",
  succeeded: "Done",
  failed: "Failed",
  cancelled: "Cancelled",
  skipped: "Skipped",
};

/** A coloured pill with the status in words (colour is never the only signal). */
export function StatusBadge({ status, partial = false }: { status: JobStatus | ItemStatus; partial?: boolean }) {
  const label = partial && status === "succeeded" ? "Done, with errors" : (STATUS_LABELS[status] ?? status);
  return (
    <span className={`badge badge--${status}${partial ? " badge--partial" : ""}`} data-status={status}>
      <span className="badge__dot" aria-hidden="true" />
      {label}
    </span>
  );
}

export function statusLabel(status: JobStatus | ItemStatus): string {
  return STATUS_LABELS[status] ?? status;
}
