import type { Job } from "../../api/types";
import { formatPercent } from "../../lib/format";
import { ProgressBar } from "../../components/ui/ProgressBar";

/** The live progress of a queued or running job, in words and as a bar. */
export function JobProgress({ job }: { job: Job }) {
  if (job.status === "queued") {
    return <ProgressBar value={null} label={`Progress of ${job.input_name}`} valueText="Waiting for a worker…" tone="muted" />;
  }
  const parts = [formatPercent(job.progress)];
  if (job.kind === "depth" && job.items_total > 0) {
    parts.push(`${job.items_done} of ${job.items_total} images`);
  }
  return <ProgressBar value={job.progress} label={`Progress of ${job.input_name}`} valueText={parts.join(" · ")} />;
}
