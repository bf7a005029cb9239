import type { Job } from "../api/types";
import { DepthResult } from "../features/depth/DepthResult";
import { HeatmapResult } from "../features/heatmap/HeatmapResult";

/** What the job page shows of a job's results, by its kind: a heatmap once it succeeded, depth maps as they come. */
export function JobResult({ job }: { job: Job }) {
  switch (job.kind) {
    case "heatmap":
      return job.status === "succeeded" ? <HeatmapResult job={job} /> : null;
    case "depth":
      return job.status !== "failed" ? <DepthResult job={job} /> : null;
  }
}
