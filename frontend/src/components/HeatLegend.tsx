import type { ReactNode } from "react";
import type { HeatmapLegend } from "../api/types";
import { formatNumber } from "../lib/format";

/** A value on the legend: 3 significant figures, no exponent ("12.3", "0.0451"). */
const tickText = (value: number) => (value === 0 ? "0" : formatNumber(Number(value.toPrecision(3)), 6));

/**
 * The heatmap's colour scale as page content (the image carries a copy too): a bar from low to high with its
 * values in the server's unit, person-seconds per m² of floor when the job is calibrated (`px_per_m2`), else per
 * 100×100 px, readable at any width.
 */
export function HeatLegend({ legend, caption, testId = "heat-legend" }: { legend: HeatmapLegend; caption?: ReactNode; testId?: string }) {
  const ticks = [...legend.ticks].sort((a, b) => a.position - b.position);
  const low = ticks[0];
  const high = ticks[ticks.length - 1];
  return (
    <figure className="heat-legend" aria-label={`Colour scale: from ${tickText(low.value)} to ${tickText(high.value)} ${legend.unit}`} data-testid={testId}>
      <div className="heat-legend__bar" style={{ background: `linear-gradient(to right, ${legend.colors.join(", ")})` }} />
      <ol className="heat-legend__ticks" aria-hidden="true">
        {ticks.map((tick) => (
          <li key={tick.position} style={{ left: `${tick.position * 100}%` }}>
            {tickText(tick.value)}
          </li>
        ))}
      </ol>
      <figcaption className="heat-legend__caption">
        {caption ??
          (legend.px_per_m2 ? (
            <>
              Time people spent, in {legend.unit}: each square metre of floor held that many person-seconds (one person standing on it for 1 s makes 1), at the
              calibrated floor&rsquo;s average of {formatNumber(legend.px_per_m2, 0)} pixels to a square metre.
            </>
          ) : (
            <>
              Time people spent, in {legend.unit}: each 100×100 pixel square of the picture held that many person-seconds (one person standing still for 1 s
              makes 1).
            </>
          ))}
      </figcaption>
    </figure>
  );
}
