import { useId } from "react";
import { formatClock, formatNumber } from "../lib/format";

const WIDTH = 640;
const HEIGHT = 180;
const PAD = { top: 12, right: 12, bottom: 26, left: 34 };

/** A round number ≥ value for the top of the y axis (1, 2, 5, 10, 20, …). */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (value <= step * power) return step * power;
  }
  return 10 * power;
}

/** SVG path points for the series in chart coordinates. */
export function chartPoints(values: number[], top: number): [number, number][] {
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const n = values.length;
  return values.map((v, i) => {
    const x = PAD.left + (n === 1 ? innerW / 2 : (i / (n - 1)) * innerW);
    const y = PAD.top + innerH - (Math.max(0, v) / top) * innerH;
    return [Number(x.toFixed(1)), Number(y.toFixed(1))];
  });
}

/** People in view during each second of the video, as a small area chart (with the numbers as a table). */
export function PeoplePerSecondChart({ values }: { values: number[] }) {
  const titleId = useId();
  const clean = values.map((v) => (Number.isFinite(v) ? v : 0));
  if (clean.length === 0) return <p className="muted">No per-second figures in this job.</p>;

  const peak = Math.max(...clean);
  const peakAt = clean.indexOf(peak);
  const mean = clean.reduce((a, b) => a + b, 0) / clean.length;
  const top = niceCeiling(peak);
  const points = chartPoints(clean, top);
  const baseY = HEIGHT - PAD.bottom;
  const line = points.map(([x, y], i) => `${i ? "L" : "M"}${x},${y}`).join(" ");
  const area = `${line} L${points[points.length - 1][0]},${baseY} L${points[0][0]},${baseY} Z`;
  const yTicks = [0, top / 2, top];
  const xTickCount = Math.min(clean.length, 5);
  const xTicks = Array.from({ length: xTickCount }, (_, i) => Math.round((i / Math.max(1, xTickCount - 1)) * (clean.length - 1)));
  const summary = `People in view per second over ${formatClock(clean.length)}: peak ${formatNumber(peak)} at ${formatClock(peakAt)}, average ${formatNumber(mean)}.`;

  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={titleId} className="chart__svg">
        <title id={titleId}>{summary}</title>
        {yTicks.map((tick) => {
          const y = PAD.top + (HEIGHT - PAD.top - PAD.bottom) * (1 - tick / top);
          return (
            <g key={tick}>
              <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y} y2={y} className="chart__grid" />
              <text x={PAD.left - 6} y={y + 4} className="chart__label" textAnchor="end">
                {formatNumber(tick)}
              </text>
            </g>
          );
        })}
        {xTicks.map((i) => (
          <text key={i} x={points[i][0]} y={HEIGHT - 8} className="chart__label" textAnchor="middle">
            {formatClock(i)}
          </text>
        ))}
        <path d={area} className="chart__area" />
        <path d={line} className="chart__line" />
        <circle cx={points[peakAt][0]} cy={points[peakAt][1]} r={4} className="chart__peak" />
      </svg>
      <figcaption className="chart__caption">
        Peak {formatNumber(peak)} at {formatClock(peakAt)} · average {formatNumber(mean)} people in view
      </figcaption>
      <details className="chart__table">
        <summary>Show the numbers</summary>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Second</th>
                <th scope="col">People in view</th>
              </tr>
            </thead>
            <tbody>
              {clean.map((v, i) => (
                <tr key={i}>
                  <td>{formatClock(i)}</td>
                  <td>{formatNumber(v, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
