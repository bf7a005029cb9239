import type { Job, JobStage } from "../../api/types";
import { formatPercent } from "../../lib/format";
import { ProgressBar } from "../../components/ui/ProgressBar";

export const STAGE_LABELS: Record<JobStage, string> = {
  loading_model: "Loading the model (first run exports it, about a minute)",
  detecting: "Detecting people",
  estimating_depth: "Estimating depth",
  drawing: "Drawing",
};

/** "about 40 s left", "about 3 min left". */
export function timeLeft(seconds: number): string {
  return seconds < 60 ? `about ${Math.max(1, Math.round(seconds))} s left` : `about ${Math.round(seconds / 60)} min left`;
}

/** The live progress of a queued or running job, in words and as a bar. */
export function JobProgress({ job }: { job: Job }) {
  if (job.status === "queued") {
    return <ProgressBar value={null} label={`Progress of ${job.input_name}`} valueText="Waiting for a worker…" tone="muted" />;
  }
  // While the model loads nothing is measured yet: a moving bar, not one stuck at 0 %.
  const loading = job.stage === "loading_model";
  const parts = loading ? [] : [formatPercent(job.progress)];
  if (job.stage) parts.unshift(STAGE_LABELS[job.stage]);
  if (job.kind === "depth" && job.items_total > 0) {
    parts.push(`${job.items_done} of ${job.items_total} images`);
  }
  if (job.eta_s !== null && job.eta_s !== undefined) parts.push(timeLeft(job.eta_s));
  return <ProgressBar value={loading ? null : job.progress} label={`Progress of ${job.input_name}`} valueText={parts.join(" · ")} />;
}
