import type { Job } from "../../api/types";
import { capitalize } from "../../lib/text";
import { Alert } from "../../components/ui/Alert";

/**
 * What went wrong, in words; also mentions images that failed inside a finished depth job.
 * `banner` shows it as a box (job page); otherwise one line (history list).
 */
export function JobError({ job, banner = false }: { job: Job; banner?: boolean }) {
  const reason = capitalize(job.error ?? "") || "Processing failed for an unknown reason.";
  if (job.status === "failed") {
    return banner ? (
      <div className="job-banner">
        <Alert title="Processing failed">{reason}</Alert>
      </div>
    ) : (
      <p className="job-error">
        <span aria-hidden="true">⚠ </span>
        {reason}
      </p>
    );
  }
  if (job.status === "cancelled") {
    return banner ? (
      <div className="job-banner">
        <Alert tone="info">This job was cancelled before it finished.</Alert>
      </div>
    ) : (
      <p className="muted job-error">Cancelled before it finished.</p>
    );
  }
  if (job.status === "succeeded" && job.items_failed > 0) {
    const text = `${job.items_failed} of ${job.items_total} images could not be processed.`;
    return banner ? (
      <div className="job-banner">
        <Alert tone="warning">{text} Their reasons are shown below.</Alert>
      </div>
    ) : (
      <p className="job-warning">{text}</p>
    );
  }
  return null;
}
