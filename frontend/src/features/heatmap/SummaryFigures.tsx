import type { JobSummary } from "../../api/types";
import { formatClock, formatDuration, formatNumber } from "../../lib/format";

interface Figure {
  label: string;
  value: string;
  hint?: string;
}

/** "of 682", or "of 341 readable (682 in the file)" when the video stops decoding before its end. */
function framesHint({ frames_total: total, frames_decoded: readable }: JobSummary): string | undefined {
  if (readable !== undefined && total !== undefined && readable < total) {
    return `of ${formatNumber(readable, 0)} readable (${formatNumber(total, 0)} in the file)`;
  }
  const all = readable ?? total;
  return all ? `of ${formatNumber(all, 0)}` : undefined;
}

export function heatmapFigures(summary: JobSummary, processingMs?: number | null): Figure[] {
  const figures: Figure[] = [
    { label: "People seen", value: formatNumber(summary.people_unique, 0), hint: "different people tracked" },
    { label: "Most at once", value: formatNumber(summary.people_peak, 0), hint: "people: the most in one analysed frame" },
    { label: "On average", value: formatNumber(summary.people_mean, 1), hint: "people in view, averaged over the video" },
    {
      label: "Video length",
      value: summary.duration_s === undefined ? "–" : formatClock(summary.duration_s),
      hint: summary.fps ? `${formatNumber(summary.fps, 1)} fps` : undefined,
    },
    { label: "Frames analysed", value: formatNumber(summary.frames_sampled, 0), hint: framesHint(summary) },
  ];
  // The analysis's own speed; the one-off model load (and export, on a first run) is not part of it.
  const speed = summary.video_seconds_per_second ?? (processingMs && summary.duration_s ? summary.duration_s / (processingMs / 1000) : undefined);
  if (speed) {
    const load = summary.timings_s?.load;
    figures.push({
      label: "Processing speed",
      value: `${formatNumber(speed, speed < 10 ? 1 : 0)}×`,
      hint: `video seconds analysed per second${load ? `; loading the model took ${formatDuration(load * 1000)}` : ""}`,
    });
  }
  return figures;
}

/** The headline numbers of a heatmap job. */
export function SummaryFigures({ summary, processingMs }: { summary: JobSummary; processingMs?: number | null }) {
  return (
    <dl className="figures">
      {heatmapFigures(summary, processingMs).map((figure) => (
        <div key={figure.label} className="figure">
          <dt className="figure__label">{figure.label}</dt>
          <dd className="figure__value">{figure.value}</dd>
          {figure.hint && <dd className="figure__hint">{figure.hint}</dd>}
        </div>
      ))}
    </dl>
  );
}
