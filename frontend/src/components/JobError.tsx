import type { Job } from "../api/types";

/** What went wrong, in words; also mentions images that failed inside a finished depth job. */
export function JobError({ job }: { job: Job }) {
  if (job.status === "failed") {
    return (
      <p className="job-error" role="note">
        <span aria-hidden="true">⚠ </span>
        {job.error?.trim() || "Processing failed for an unknown reason."}
      </p>
    );
  }
  if (job.status === "cancelled") {
    return <p className="muted">Cancelled before it finished.</p>;
  }
  if (job.status === "succeeded" && job.items_failed > 0) {
    return (
      <p className="job-warning" role="note">
        {job.items_failed} of {job.items_total} images could not be processed.
      </p>
    );
  }
  return null;
}
