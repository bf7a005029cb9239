import type { HeatmapSummary } from "../../api/types";
import { formatClock, formatNumber } from "../../lib/format";

interface Figure {
  label: string;
  value: string;
  hint?: string;
}

export function heatmapFigures(summary: HeatmapSummary, processingMs?: number | null): Figure[] {
  const figures: Figure[] = [
    { label: "People seen", value: formatNumber(summary.people_unique, 0), hint: "different people tracked" },
    { label: "Most at once", value: formatNumber(summary.people_peak, 0), hint: "peak in a single frame" },
    { label: "On average", value: formatNumber(summary.people_mean, 1), hint: "people in view" },
    {
      label: "Video length",
      value: summary.duration_s === undefined ? "–" : formatClock(summary.duration_s),
      hint: summary.fps ? `${formatNumber(summary.fps, 1)} fps` : undefined,
    },
    {
      label: "Frames analysed",
      value: formatNumber(summary.frames_sampled, 0),
      hint: summary.frames_total ? `of ${formatNumber(summary.frames_total, 0)}` : undefined,
    },
  ];
  if (processingMs && summary.duration_s) {
    const speed = summary.duration_s / (processingMs / 1000);
    figures.push({ label: "Processing speed", value: `${formatNumber(speed, speed < 10 ? 1 : 0)}×`, hint: "video seconds per second" });
  }
  return figures;
}

/** The headline numbers of a heatmap job. */
export function SummaryFigures({ summary, processingMs }: { summary: HeatmapSummary; processingMs?: number | null }) {
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
