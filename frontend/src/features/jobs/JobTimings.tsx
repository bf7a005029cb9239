import type { Job } from "../../api/types";
import { formatDateTime, formatDuration, formatRelative } from "../../lib/format";

/** When the job was submitted and how long it took to process. */
export function JobTimings({ job, detailed = false }: { job: Job; detailed?: boolean }) {
  const waited = job.started_at ? new Date(job.started_at).getTime() - new Date(job.created_at).getTime() : null;
  return (
    <span className="job-timings">
      <time dateTime={job.created_at} title={formatDateTime(job.created_at)}>
        {detailed ? formatDateTime(job.created_at) : formatRelative(job.created_at)}
      </time>
      {job.processing_ms !== null && job.processing_ms !== undefined && <span> · processed in {formatDuration(job.processing_ms)}</span>}
      {detailed && waited !== null && waited >= 0 && <span> · waited {formatDuration(waited)} in the queue</span>}
    </span>
  );
}
