import { useState } from "react";
import type { Job, ResultFile } from "../../api/types";
import { withVersion } from "../../lib/files";

/** The picture that stands for a job in lists: the heatmap, or the first depth preview. */
export function thumbnailOf(job: Job): ResultFile | undefined {
  const pngs = job.results.filter((r) => r.media_type === "image/png" || r.name.toLowerCase().endsWith(".png"));
  const preferred = job.kind === "heatmap" ? pngs.find((r) => r.name === "heatmap.png") : pngs.find((r) => r.name.endsWith("_depth.png"));
  return preferred ?? pngs[0];
}

export function JobThumbnail({ job }: { job: Job }) {
  const file = thumbnailOf(job);
  const [broken, setBroken] = useState<string | null>(null);
  const src = file ? withVersion(file.url, job.finished_at ?? undefined) : undefined;
  if (!src || broken === src) {
    return (
      <span className={`thumb thumb--empty thumb--${job.kind}`} aria-hidden="true">
        {job.kind === "heatmap" ? "▶" : "◧"}
      </span>
    );
  }
  return <img className="thumb" src={src} alt="" loading="lazy" onError={() => setBroken(src)} />;
}
