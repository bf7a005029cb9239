import type { Colormap } from "../../api/types";
import { colormapRgb } from "../../lib/colormaps";
import { formatMetres, legendTicks } from "./depthValues";

/** A vertical colour bar in metres: near (`min_m`, bright) at the top, far (`max_m`) at the bottom. */
export function DepthLegend({ colormap, minM, maxM }: { colormap: Colormap; minM: number; maxM: number }) {
  const stops = Array.from({ length: 11 }, (_, i) => {
    const [r, g, b] = colormapRgb(colormap, 1 - i / 10); // the preview shows near with the top of the map
    return `rgb(${r} ${g} ${b}) ${i * 10}%`;
  });
  // Labels at two significant figures; one that repeats the label above it is left out (a narrow range).
  const ticks = legendTicks(minM, maxM).map((metres) => formatMetres(metres));
  return (
    <figure className="depth-legend" aria-label={`Colour scale from ${formatMetres(minM)} (near) to ${formatMetres(maxM)} (far)`}>
      <div className="depth-legend__bar" style={{ background: `linear-gradient(to bottom, ${stops.join(", ")})` }} />
      <ol className="depth-legend__ticks">
        {ticks.map((label, i) => (
          <li key={i} style={{ top: `${ticks.length > 1 ? (i / (ticks.length - 1)) * 100 : 0}%` }}>
            {label === ticks[i - 1] ? "" : label}
          </li>
        ))}
      </ol>
    </figure>
  );
}
